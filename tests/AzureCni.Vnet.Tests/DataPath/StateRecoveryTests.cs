namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// What azure-vnet (with its in-process azure-vnet-ipam) decides when its state files are damaged, unprivileged over
/// the <see cref="RecordingKernel"/>: the files are moved aside and rebuilt from the kernel and libcni's result
/// cache, no address in use is handed out again, and DEL always removes what the kernel shows.
/// </summary>
public sealed class StateRecoveryTests : IDisposable
{
    private static readonly string[] Files = ["azure-vnet.json", "azure-vnet-ipam.json"];
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData("transparent", "empty")]
    [InlineData("transparent", "truncated")]
    [InlineData("transparent", "nul")]
    [InlineData("transparent", "directory")]
    [InlineData("bridge", "empty")]
    [InlineData("bridge", "truncated")]
    [InlineData("bridge", "nul")]
    [InlineData("bridge", "directory")]
    public void DamagedFiles_AreRebuilt_NoAddressTwice_EveryDelSucceeds(string mode, string damage)
    {
        string config = _node.Config(mode);
        var held = new Dictionary<string, string>();
        foreach (string pod in (string[])["pod1", "pod2"])
        {
            _node.AddPod(pod);
            string cid = "c" + pod + "00000000000";
            var add = _node.Run("ADD", cid, pod, config);
            Assert.Equal(0, add.Exit);
            _node.Cache(cid, config, add.Stdout);
            held[cid] = Address(add);
        }

        foreach (string file in Files)
            Damage(Path.Combine(_node.Dir, file), damage);

        // STATUS rebuilds, succeeds, and says so.
        var status = _node.Run("STATUS", "", null, config);
        Assert.Equal(0, status.Exit);
        Assert.Contains("unreadable", File.ReadAllText(Path.Combine(_node.Dir, "azure-vnet.log")), StringComparison.Ordinal);
        Assert.Contains("unreadable", File.ReadAllText(Path.Combine(_node.Dir, "azure-vnet-ipam.log")), StringComparison.Ordinal);
        foreach (string file in Files)
            Assert.Single(Directory.EnumerateFileSystemEntries(_node.Dir, file + ".corrupt-*"));
        Assert.Contains("cpod100000000000", _node.State("azure-vnet.json"), StringComparison.Ordinal);
        if (mode == "bridge")
            Assert.Contains("\"masterMac\": \"00:0d:3a:00:00:04\"", _node.State("azure-vnet.json"), StringComparison.Ordinal);

        // CHECK finds the rebuilt endpoint; a new pod gets an address no live pod holds.
        Assert.Equal(0, _node.Run("CHECK", "cpod100000000000", "pod1", config).Exit);
        _node.AddPod("pod3");
        var third = _node.Run("ADD", "cpod300000000000", "pod3", config);
        Assert.Equal(0, third.Exit);
        Assert.DoesNotContain(Address(third), held.Values);

        // DEL of a rebuilt pod removes its host objects and releases its address.
        Assert.Equal(0, _node.Run("DEL", "cpod100000000000", "pod1", config).Exit);
        string address = held["cpod100000000000"].Split('/')[0];
        Assert.DoesNotContain(_node.Kernel.Node.Routes, r => r.Destination?.ToString() == address);
        Assert.DoesNotContain(_node.Kernel.Node.Neighbors, n => n.Address.ToString() == address);
        Assert.DoesNotContain("cpod100000000000", _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        Assert.DoesNotContain("recovered", _node.State("azure-vnet.json"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transparent")]
    [InlineData("bridge")]
    public void NewerRelease_IsNeverOverwritten_DelStillRemovesThePod(string mode)
    {
        string config = _node.Config(mode);
        _node.AddPod("pod1");
        var add = _node.Run("ADD", "cpod100000000000", "pod1", config);
        Assert.Equal(0, add.Exit);
        string address = Address(add).Split('/')[0];
        string newer = "{\"version\":9,\"endpoints\":{\"a new shape\":true}}";
        File.WriteAllText(Path.Combine(_node.Dir, "azure-vnet.json"), newer);

        _node.AddPod("pod2");
        var second = _node.Run("ADD", "cpod200000000000", "pod2", config);
        Assert.Equal(1, second.Exit);
        Assert.Contains("\"code\":5", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("has version 9", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("reads version 1", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"code\":5", _node.Run("CHECK", "cpod100000000000", "pod1", config).Stdout, StringComparison.Ordinal);
        Assert.Contains("\"code\":50", _node.Run("STATUS", "", null, config).Stdout, StringComparison.Ordinal);

        Assert.Equal(0, _node.Run("DEL", "cpod100000000000", "pod1", config).Exit);
        Assert.DoesNotContain(_node.Kernel.Node.Routes, r => r.Destination?.ToString() == address);
        Assert.DoesNotContain(_node.Kernel.Node.Neighbors, n => n.Address.ToString() == address);
        Assert.DoesNotContain(_node.Kernel.Rules.Keys, k => k.Contains("cpod1", StringComparison.Ordinal));
        Assert.DoesNotContain("cpod100000000000", _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        Assert.Equal(newer, _node.State("azure-vnet.json"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_node.Dir, "*.corrupt-*"));
    }

    /// <summary>A veth of ours that no cache entry explains (a runtime without libcni's cache) keeps its address.</summary>
    [Fact]
    public void AVethWithoutACacheEntry_KeepsItsAddress_UntilItsDelOrGc()
    {
        string config = _node.Config("transparent");
        _node.AddPod("pod1");
        var add = _node.Run("ADD", "cpod100000000000", "pod1", config);
        string address = Address(add);
        foreach (string file in Files)
            File.WriteAllText(Path.Combine(_node.Dir, file), "");

        Assert.Equal(0, _node.Run("STATUS", "", null, config).Exit);
        // The kernel shows the address as its host route (the pod's namespace is unknown without the cache).
        Assert.Contains(address.Split('/')[0] + "/32", _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.Contains("1 of unknown owner", _node.State("azure-vnet.json"), StringComparison.Ordinal);
        for (int i = 2; i <= 4; i++)
        {
            _node.AddPod("pod" + i);
            var other = _node.Run("ADD", "cpod" + i + "00000000000", "pod" + i, config);
            Assert.Equal(0, other.Exit);
            Assert.NotEqual(address, Address(other));
        }

        // Its DEL finds the veth by name and removes its route; GC then drops the record of unknown owner.
        Assert.Equal(0, _node.Run("DEL", "cpod100000000000", "pod1", config).Exit);
        Assert.DoesNotContain(_node.Kernel.Node.Routes, r => r.Destination?.ToString() == address.Split('/')[0]);
        Assert.DoesNotContain("\"containerID\":\"\"", _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.Contains("\"containerId\": \"\"", _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        string valid = string.Join(",", Enumerable.Range(2, 3).Select(i => "{\"containerID\":\"cpod" + i + "00000000000\",\"ifname\":\"eth0\"}"));
        Assert.Equal(0, _node.Run("GC", "", null, _node.Config("transparent", ", \"cni.dev/valid-attachments\":[" + valid + "]")).Exit);
        Assert.DoesNotContain("\"containerId\": \"\"", _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(_node.State("azure-vnet-ipam.json"), "\"containerId\": \"cpod"));
    }

    private static string Address(PluginOutcome add) => add.Json.GetProperty("ips")[0].GetProperty("address").GetString()!;

    private static void Damage(string path, string how)
    {
        byte[] bytes = File.ReadAllBytes(path);
        switch (how)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "truncated": File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); break;
            case "nul": File.WriteAllBytes(path, new byte[bytes.Length]); break;
            case "directory":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
        }
    }
}
