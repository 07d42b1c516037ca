using System.Text.RegularExpressions;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// The Linux data path's decisions, unprivileged: azure-vnet runs in process over a <see cref="RecordingKernel"/>,
/// so what ADD, DEL, CHECK and GC create, remove and report, and what a failed ADD undoes in which order, is read
/// from the kernel's journal. The privileged tests (TransparentModeTests, BridgeModeTests) prove the real kernel.
/// </summary>
public sealed class LinuxDataPathTests : IDisposable
{
    private const string Pod = "pod1";
    private const string Container = "c1000000000000001";
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void TransparentAdd_RoutesThePodThroughTheHost()
    {
        _node.AddPod(Pod);

        var add = _node.Run("ADD", Container, Pod, _node.Config("transparent"));

        Assert.Equal(0, add.Exit);
        string veth = Assert.Single(_node.Kernel.Node.Links, l => l.Kind == "veth").Name;
        Assert.Equal(
        [
            $"node: add veth {veth} peer eth0 in /fake/netns/pod1",
            $"node: link {veth} set up",
            "/fake/netns/pod1: link eth0 set up",
            $"node: add route 10.240.0.5/32 dev {veth}",
            $"node: sysctl proxy_arp {veth}=1",
            "/fake/netns/pod1: add address 10.240.0.5/16 dev eth0",
            "/fake/netns/pod1: delete route 10.240.0.0/16 dev eth0",
            "/fake/netns/pod1: add route 169.254.1.1/32 dev eth0",
            "/fake/netns/pod1: add route default via 169.254.1.1 dev eth0",
            "/fake/netns/pod1: replace neighbour 169.254.1.1 lladdr AAAAAAAAAAAA dev eth0",
        ], _node.Kernel.Journal);
        Assert.Equal("10.240.0.5/16", add.Json.GetProperty("ips")[0].GetProperty("address").GetString());
        Assert.Equal("169.254.1.1", add.Json.GetProperty("ips")[0].GetProperty("gateway").GetString());
        Assert.Equal("aa:aa:aa:aa:aa:aa", add.Json.GetProperty("interfaces")[0].GetProperty("mac").GetString());
        Assert.Empty(_node.Kernel.Rules);
        Assert.DoesNotContain("\"pending\":true", _node.State("azure-vnet.json"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void BridgeAdd_SetsUpTheNodeOnce_ThenOnlyThePod()
    {
        _node.AddPod(Pod);
        _node.AddPod("pod2");

        var first = _node.Run("ADD", Container, Pod, _node.Config("bridge"));
        int afterFirst = _node.Kernel.Journal.Count;
        var second = _node.Run("ADD", "c2000000000000002", "pod2", _node.Config("bridge"));

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, second.Exit);
        var node = _node.Kernel.Node;
        var bridge = Assert.Single(node.Links, l => l.Kind == "bridge");
        Assert.Equal("azure3", bridge.Name); // upstream's name: azure<master's ifindex>
        Assert.Equal(bridge.Index, node.GetLink("eth0").MasterIndex);
        Assert.Contains(node.Addresses, a => a.InterfaceIndex == bridge.Index && a.Address.ToString() == "10.240.0.4");
        Assert.DoesNotContain(node.Addresses, a => a.InterfaceIndex == node.GetLink("eth0").Index);
        Assert.Contains(node.Routes, r => r.Destination is null && r.OutputInterfaceIndex == bridge.Index);
        Assert.Equal(["azcni:c1000000000000001:eth0", "azcni:c2000000000000002:eth0", "azcni:node:eth0"], _node.Kernel.Rules.Keys);
        Assert.Single(_node.Kernel.Journal, j => j.StartsWith("node: add bridge", StringComparison.Ordinal));
        Assert.DoesNotContain(_node.Kernel.Journal.Skip(afterFirst), j => j.Contains("eth0 set master", StringComparison.Ordinal) || j.Contains("azcni:node", StringComparison.Ordinal));
        Assert.Contains(node.Neighbors, n => n.InterfaceIndex == bridge.Index && n.Address.ToString() == "10.240.0.6");
        Assert.Equal("10.240.0.1", first.Json.GetProperty("ips")[0].GetProperty("gateway").GetString());
    }

    /// <summary>
    /// DEL clears the attachment but leaves its veth to the kernel's namespace teardown (deleting a net device waits a
    /// grace period); in a namespace the runtime keeps, the pod's end stays down and bare until an ADD replaces it or
    /// GC removes the pair.
    /// </summary>
    [Fact]
    public void BridgeAdd_WithItsStateLost_TakesTheBridgeAlreadyThere()
    {
        _node.AddPod(Pod);
        _node.AddPod("pod2");
        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config("bridge")).Exit);
        File.Delete(Path.Combine(_node.Dir, "azure-vnet.json"));
        int before = _node.Kernel.Journal.Count;

        var again = _node.Run("ADD", "c2000000000000002", "pod2", _node.Config("bridge"));

        Assert.True(again.Exit == 0, again.Stdout);
        Assert.DoesNotContain(_node.Kernel.Journal.Skip(before), j => j.Contains("bridge azure3", StringComparison.Ordinal) || j.Contains("eth0 set master", StringComparison.Ordinal));
        Assert.Equal("eth0", Assert.Single(new AzureCni.Vnet.State.EndpointStore(_node.Dir).Read().Networks).Master);
    }

    [Theory]
    [InlineData("transparent")]
    [InlineData("bridge")]
    public void Del_ClearsTheAttachment_LeavesTheVeth_Twice(string mode)
    {
        var pod = _node.AddPod(Pod);
        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config(mode)).Exit);

        Assert.Equal(0, _node.Run("DEL", Container, Pod, _node.Config(mode)).Exit);
        Assert.Equal(0, _node.Run("DEL", Container, Pod, _node.Config(mode)).Exit);

        Assert.Single(_node.Kernel.Node.Links, l => l.Kind == "veth");
        Assert.DoesNotContain(_node.Kernel.Node.Routes, r => r.Destination?.ToString() == "10.240.0.5");
        Assert.DoesNotContain(_node.Kernel.Node.Neighbors, n => n.Address.ToString() == "10.240.0.5");
        Assert.DoesNotContain(_node.Kernel.Rules.Keys, k => k.Contains(Container, StringComparison.Ordinal));
        var eth0 = pod.GetLink("eth0");
        Assert.False(eth0.IsUp);
        Assert.Empty(pod.ListAddresses(eth0.Index));
        Assert.DoesNotContain(pod.Routes, r => r.OutputInterfaceIndex == eth0.Index);
        Assert.DoesNotContain(Container, _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.DoesNotContain(Container, _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        Assert.DoesNotContain(_node.Kernel.Journal, j => j.Contains("delete link", StringComparison.Ordinal));

        // The kept namespace's next ADD replaces the leftover; GC removes a pair nobody owns.
        Assert.Equal(0, _node.Run("ADD", "c3000000000000003", Pod, _node.Config(mode)).Exit);
        Assert.Single(_node.Kernel.Node.Links, l => l.Kind == "veth");
        Assert.Equal(0, _node.Run("DEL", "c3000000000000003", Pod, _node.Config(mode)).Exit);
        Assert.Equal(0, _node.Run("GC", "", null, _node.Config(mode, """, "cni.dev/valid-attachments":[]""")).Exit);
        Assert.DoesNotContain(_node.Kernel.Node.Links, l => l.Kind == "veth");
        Assert.Equal(["lo"], pod.Links.Select(l => l.Name));
    }

    [Theory]
    [InlineData("transparent", "delete route 10.240.0.5/32", "host route 10.240.0.5/32 via azv")]
    [InlineData("bridge", "rules", "layer-2 rules azcni:c1000000000000001:eth0")]
    [InlineData("transparent", "pod-down", "container interface eth0 is down")]
    [InlineData("bridge", "default-route", "container default route via 10.240.0.1 dev eth0 missing")]
    public void Check_IsSilentWhenAllIsThere_AndNamesWhatIsMissing(string mode, string damage, string expected)
    {
        var pod = _node.AddPod(Pod);
        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config(mode)).Exit);

        var ok = _node.Run("CHECK", Container, Pod, _node.Config(mode));
        Assert.Equal((0, ""), (ok.Exit, ok.Stdout));

        var node = _node.Kernel.Node;
        switch (damage)
        {
            case "rules":
                _node.Kernel.Rules.Remove("azcni:" + Container + ":eth0");
                break;
            case "pod-down":
                pod.SetLinkDown(pod.GetLink("eth0").Index);
                break;
            case "default-route":
                pod.Routes.RemoveAll(r => r.Destination is null);
                break;
            default:
                node.Routes.RemoveAll(r => r.Destination?.ToString() == "10.240.0.5");
                break;
        }

        var check = _node.Run("CHECK", Container, Pod, _node.Config(mode));
        Assert.Equal(1, check.Exit);
        Assert.Contains(expected, check.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transparent")]
    [InlineData("bridge")]
    public void Gc_RemovesAttachmentsNotValid_AndLeftoversNobodyOwns(string mode)
    {
        _node.AddPod(Pod);
        _node.AddPod("keep");
        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config(mode)).Exit);
        Assert.Equal(0, _node.Run("ADD", "keep000000000001", "keep", _node.Config(mode)).Exit);
        _node.Kernel.Node.Seed("azv0123456789a", "veth");
        _node.Kernel.Rules["azcni:gone:eth0"] = ["port-mappings"];
        string keptVeth = Assert.Single(_node.Kernel.Node.Links, l => l.Kind == "veth" && l.Name != "azv0123456789a" && _node.State("azure-vnet.json").Contains(l.Name, StringComparison.Ordinal)
            && Regex.IsMatch(_node.State("azure-vnet.json"), "keep000000000001[^}]*" + l.Name)).Name;

        var gc = _node.Run("GC", "", null, _node.Config(mode, """, "cni.dev/valid-attachments":[{"containerID":"keep000000000001","ifname":"eth0"}]"""));

        Assert.True(gc.Exit == 0, gc.Stdout);
        Assert.Equal([keptVeth], _node.Kernel.Node.Links.Where(l => l.Kind == "veth").Select(l => l.Name));
        Assert.DoesNotContain(_node.Kernel.Rules.Keys, k => k.Contains(Container, StringComparison.Ordinal) || k.Contains("gone", StringComparison.Ordinal));
        Assert.DoesNotContain(Container, _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.Contains("keep000000000001", _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        Assert.DoesNotContain(Container, _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_WithoutAValidList_Refuses()
    {
        var gc = _node.Run("GC", "", null, _node.Config("transparent"));

        Assert.True(gc.Exit == 1, gc.Stdout);
        Assert.Equal(7, gc.Json.GetProperty("code").GetInt32());
    }

    /// <summary>
    /// The kernel refuses each change of a complete ADD in turn: every time the ADD fails, and what it had done is
    /// undone newest first, down to the state entry and the address; only a completed bridge setup of the node stays.
    /// </summary>
    /// <summary>The nat tables of port mappings go with the last pod that had one, by DEL or by GC.</summary>
    [Theory]
    [InlineData("transparent", "DEL")]
    [InlineData("bridge", "DEL")]
    [InlineData("transparent", "GC")]
    [InlineData("bridge", "GC")]
    public void PortMappingTables_GoWithTheLastPodThatHadOne(string mode, string removal)
    {
        const string Mappings = """, "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}""";
        _node.AddPod(Pod);
        _node.AddPod("pod2");
        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config(mode, Mappings)).Exit);
        Assert.Equal(0, _node.Run("ADD", "c2000000000000002", "pod2", _node.Config(mode, Mappings.Replace("8080", "8081", StringComparison.Ordinal))).Exit);
        Assert.Equal(["ip azure-cni", "ip6 azure-cni"], _node.Kernel.Tables);

        Assert.Equal(0, _node.Run("DEL", Container, Pod, _node.Config(mode, Mappings)).Exit);
        Assert.Equal(["ip azure-cni", "ip6 azure-cni"], _node.Kernel.Tables); // pod2's mapping is still there

        var last = removal == "DEL"
            ? _node.Run("DEL", "c2000000000000002", "pod2", _node.Config(mode, Mappings))
            : _node.Run("GC", "gc", null, _node.Config(mode, """, "cni.dev/valid-attachments":[]"""));
        Assert.True(last.Exit == 0, last.Stdout);
        Assert.Empty(_node.Kernel.Tables);
        Assert.DoesNotContain(_node.Kernel.Rules.Values, sets => sets.Exists(set => set.StartsWith("port-mappings", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("transparent", "")]
    [InlineData("bridge", "")]
    [InlineData("transparent", """, "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}""")]
    [InlineData("bridge", """, "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"udp"}]}""")]
    public void FailedAdd_AtEachChange_UndoesEverythingInReverse(string mode, string extra)
    {
        int changes;
        using (var reference = new FakeNode())
        {
            reference.AddPod(Pod);
            Assert.Equal(0, reference.Run("ADD", Container, Pod, reference.Config(mode, extra)).Exit);
            changes = reference.Kernel.Changes;
        }

        Assert.True(changes > 8, $"only {changes} changes");
        for (int failAt = 1; failAt <= changes; failAt++)
        {
            using var node = new FakeNode();
            var pod = node.AddPod(Pod);
            string before = node.Kernel.Node.Snapshot();
            node.Kernel.FailAtChange = failAt;

            var add = node.Run("ADD", Container, Pod, node.Config(mode, extra));

            Assert.True(add.Exit == 1, $"change {failAt}: {add.Stdout}");
            var journal = node.Kernel.Journal;
            int failed = journal.FindIndex(j => j.Contains("FAILED", StringComparison.Ordinal));
            Assert.True(failed >= 0, $"change {failAt} never reached");
            AssertUndoneNewestFirst(journal, failed, failAt);

            bool nodeSetUp = new AzureCni.Vnet.State.EndpointStore(node.Dir).Read().Networks.Count > 0;
            if (!nodeSetUp)
                Assert.True(before == node.Kernel.Node.Snapshot(), $"change {failAt}: the node is not as before:\n{node.Kernel.Node.Snapshot()}\n{string.Join("\n", journal)}");
            Assert.DoesNotContain(node.Kernel.Node.Links, l => l.Kind == "veth");
            Assert.DoesNotContain(node.Kernel.Node.Routes, r => r.Destination?.ToString() == "10.240.0.5");
            Assert.DoesNotContain(node.Kernel.Node.Neighbors, n => n.Address.ToString() == "10.240.0.5");
            Assert.DoesNotContain(node.Kernel.Rules.Keys, k => k.Contains(Container, StringComparison.Ordinal));
            Assert.Equal(["lo"], pod.Links.Select(l => l.Name));
            Assert.DoesNotContain(Container, node.State("azure-vnet.json"), StringComparison.Ordinal);
            Assert.DoesNotContain(Container, node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FailAt_IsIgnoredWithoutTheOptIn()
    {
        _node.AddPod(Pod);
        _node.AddPod("pod2");

        var stray = _node.Run("ADD", Container, Pod, _node.Config("transparent"), new() { ["AZURE_CNI_FAIL_AT"] = "veth" });
        var hooked = _node.Run("ADD", "c2000000000000002", "pod2", _node.Config("transparent"),
            new() { ["AZURE_CNI_FAIL_AT"] = "veth", ["AZURE_CNI_TEST_HOOKS"] = "1" });

        Assert.Equal(0, stray.Exit);
        Assert.Equal(1, hooked.Exit);
        Assert.Contains("injected failure at veth", hooked.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("c2000000000000002", _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
    }

    /// <summary>Each undo after the failure reverses an earlier change, and they come in the reverse order of those changes.</summary>
    private static void AssertUndoneNewestFirst(List<string> journal, int failed, int failAt)
    {
        int previous = int.MaxValue;
        foreach (string undo in journal.Skip(failed + 1))
        {
            Assert.False(undo.Contains(": add veth", StringComparison.Ordinal) || undo.Contains(": apply ", StringComparison.Ordinal),
                $"change {failAt}: {undo} after the failure");
            int done = journal.FindLastIndex(failed, j => Reverses(undo, j));
            if (done < 0)
                continue;
            Assert.True(done < previous, $"change {failAt}: '{undo}' undone out of order:\n{string.Join("\n", journal)}");
            previous = done;
        }
    }

    private static bool Reverses(string undo, string change)
    {
        string where = undo[..(undo.IndexOf(':', StringComparison.Ordinal) + 2)];
        if (!change.StartsWith(where, StringComparison.Ordinal))
            return change.StartsWith("nft: apply ", StringComparison.Ordinal) && undo.StartsWith("nft: delete rules ", StringComparison.Ordinal)
                && change["nft: apply ".Length..].StartsWith(undo["nft: delete rules ".Length..] + ":", StringComparison.Ordinal);
        string u = undo[where.Length..], c = change[where.Length..];
        return u.StartsWith("delete link ", StringComparison.Ordinal) && (c.StartsWith("add veth " + u[12..] + " ", StringComparison.Ordinal) || c == "add bridge " + u[12..])
            || u.StartsWith("delete route ", StringComparison.Ordinal) && c == "add route " + u[13..]
            || u.StartsWith("delete neighbour ", StringComparison.Ordinal) && c.StartsWith("replace neighbour " + u[17..u.IndexOf(' ', 17)] + " ", StringComparison.Ordinal)
            || u.EndsWith(" set nomaster", StringComparison.Ordinal) && c.StartsWith(u[..^"nomaster".Length] + "master ", StringComparison.Ordinal)
            || u.EndsWith(" set down", StringComparison.Ordinal) && c == u[..^"down".Length] + "up";
    }
}
