using System.Net.Sockets;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// A dual-stack pod (IPv4 and IPv6 from the reference host-local IPAM, delegated) over the recording kernel: what
/// transparent mode adds for IPv6, what CHECK names when a piece is missing, and that DEL, GC and a failed ADD leave
/// none of it.
/// </summary>
public sealed class DualStackTests : IDisposable
{
    private const string Pod = "pod1";
    private const string Container = "c1000000000000001";
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void TransparentAdd_RoutesBothFamiliesThroughTheHost_WithoutNeighbourDiscoveryOnTheVeth()
    {
        _node.AddPod(Pod);

        var add = _node.Run("ADD", Container, Pod, _node.DualStackConfig("transparent"));

        Assert.True(add.Exit == 0, add.Stdout);
        string veth = Assert.Single(_node.Kernel.Node.Links, l => l.Kind == "veth").Name;
        Assert.Equal(
        [
            $"node: add veth {veth} peer eth0 in /fake/netns/pod1",
            "node: sysctl ipv6 all.forwarding=1",
            "/fake/netns/pod1: sysctl ipv6 eth0 disable_ipv6=0 accept_ra=0 accept_dad=0",
            $"node: link {veth} set up",
            "/fake/netns/pod1: link eth0 set up",
            $"node: add route 10.240.0.5/32 dev {veth}",
            $"node: add route fd00:10:240::5/128 dev {veth}",
            $"node: replace neighbour fd00:10:240::5 lladdr {ContainerMac()} dev {veth}",
            $"node: sysctl proxy_arp {veth}=1",
            "/fake/netns/pod1: add address 10.240.0.5/16 dev eth0",
            "/fake/netns/pod1: delete route 10.240.0.0/16 dev eth0",
            "/fake/netns/pod1: add address fd00:10:240::5/64 dev eth0",
            "/fake/netns/pod1: delete route fd00:10:240::/64 dev eth0",
            "/fake/netns/pod1: add route 169.254.1.1/32 dev eth0",
            "/fake/netns/pod1: add route default via 169.254.1.1 dev eth0",
            "/fake/netns/pod1: replace neighbour 169.254.1.1 lladdr AAAAAAAAAAAA dev eth0",
            "/fake/netns/pod1: add route fe80::1234:5678:9abc/128 dev eth0",
            "/fake/netns/pod1: add route default via fe80::1234:5678:9abc dev eth0",
            "/fake/netns/pod1: replace neighbour fe80::1234:5678:9abc lladdr AAAAAAAAAAAA dev eth0",
        ], _node.Kernel.Journal);
        Assert.Equal("0", _node.Kernel.Sysctls["accept_ra/" + veth]);

        var ips = add.Json.GetProperty("ips");
        Assert.Equal(("10.240.0.5/16", "169.254.1.1"), (ips[0].GetProperty("address").GetString(), ips[0].GetProperty("gateway").GetString()));
        Assert.Equal(("fd00:10:240::5/64", "fe80::1234:5678:9abc"), (ips[1].GetProperty("address").GetString(), ips[1].GetProperty("gateway").GetString()));
        var routes = add.Json.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("dst").GetString() + " " + r.GetProperty("gw").GetString());
        Assert.Equal(["0.0.0.0/0 169.254.1.1", "::/0 fe80::1234:5678:9abc"], routes);
    }

    [Fact]
    public void SingleStackAdd_TouchesNoIPv6Setting()
    {
        _node.AddPod(Pod);

        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config("transparent")).Exit);

        Assert.DoesNotContain(_node.Kernel.Journal, j => j.Contains("ipv6", StringComparison.Ordinal) || j.Contains("fe80", StringComparison.Ordinal));
        Assert.False(_node.Kernel.IsIPv6ForwardingEnabled());
    }

    [Theory]
    [InlineData("host-route", "host route fd00:10:240::5/128 via azv")]
    [InlineData("host-neighbour", "host neighbour fd00:10:240::5 lladdr")]
    [InlineData("gateway-route", "container route fe80::1234:5678:9abc/128 dev eth0 missing")]
    [InlineData("default-route", "container default route via fe80::1234:5678:9abc dev eth0 missing")]
    [InlineData("gateway-neighbour", "container neighbour fe80::1234:5678:9abc lladdr aa:aa:aa:aa:aa:aa dev eth0 missing")]
    [InlineData("address", "address fd00:10:240::5/64 missing on container interface eth0")]
    [InlineData("forwarding", "net.ipv6.conf.all.forwarding is 0 on the node")]
    public void TransparentCheck_IsSilentWhenAllIsThere_AndNamesTheMissingIPv6Piece(string damage, string expected)
    {
        var pod = _node.AddPod(Pod);
        string config = _node.DualStackConfig("transparent");
        Assert.Equal(0, _node.Run("ADD", Container, Pod, config).Exit);
        var ok = _node.Run("CHECK", Container, Pod, config);
        Assert.Equal((0, ""), (ok.Exit, ok.Stdout));

        var node = _node.Kernel.Node;
        switch (damage)
        {
            case "host-route":
                node.Routes.RemoveAll(r => r.Destination?.ToString() == "fd00:10:240::5");
                break;
            case "host-neighbour":
                node.Neighbors.Clear();
                break;
            case "gateway-route":
                pod.Routes.RemoveAll(r => r.Destination?.ToString() == "fe80::1234:5678:9abc");
                break;
            case "default-route":
                pod.Routes.RemoveAll(r => r.Destination is null && r.Family == AddressFamily.InterNetworkV6);
                break;
            case "gateway-neighbour":
                pod.Neighbors.RemoveAll(n => n.Address.AddressFamily == AddressFamily.InterNetworkV6);
                break;
            case "address":
                pod.Addresses.RemoveAll(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6);
                break;
            default:
                _node.Kernel.Sysctls.Remove("ipv6-forwarding");
                break;
        }

        var check = _node.Run("CHECK", Container, Pod, config);
        Assert.Equal(1, check.Exit);
        Assert.Contains(expected, check.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("GC")]
    public void DelAndGc_RemoveEveryIPv6HostObject_AndReleaseBothAddresses(string removal)
    {
        var pod = _node.AddPod(Pod);
        string config = _node.DualStackConfig("transparent");
        string before = _node.Kernel.Node.Snapshot();
        Assert.Equal(0, _node.Run("ADD", Container, Pod, config).Exit);

        var gone = removal == "DEL"
            ? _node.Run("DEL", Container, Pod, config)
            : _node.Run("GC", "", null, config.Replace("1.0.0", "1.1.0", StringComparison.Ordinal).Insert(config.Length - 1, """, "cni.dev/valid-attachments":[]"""));

        var node = _node.Kernel.Node;
        Assert.DoesNotContain(node.Routes, r => r.Destination?.ToString() is "10.240.0.5" or "fd00:10:240::5");
        Assert.Empty(node.Neighbors);
        if (removal == "GC")
        {
            // The data path's GC runs first; the machine's host-local (CNI 1.0.0) then refuses the delegated GC.
            Assert.True(gone.Exit == 0 || gone.Json.GetProperty("msg").GetString() == "missing containerID", gone.Stdout);
            Assert.Equal(before, node.Snapshot());
            return;
        }

        Assert.True(gone.Exit == 0, gone.Stdout);
        Assert.DoesNotContain(pod.Routes, r => r.OutputInterfaceIndex == pod.GetLink("eth0").Index);
        Assert.Empty(Reservations(_node));
    }

    /// <summary>The kernel refuses each change of a dual-stack ADD in turn: the node ends as it was, both addresses released.</summary>
    [Fact]
    public void FailedAdd_AtEachChange_LeavesNoIPv6Object()
    {
        int changes;
        using (var reference = new FakeNode())
        {
            reference.AddPod(Pod);
            Assert.Equal(0, reference.Run("ADD", Container, Pod, reference.DualStackConfig("transparent")).Exit);
            changes = reference.Kernel.Changes;
        }

        for (int failAt = 1; failAt <= changes; failAt++)
        {
            using var node = new FakeNode();
            var pod = node.AddPod(Pod);
            string before = node.Kernel.Node.Snapshot();
            node.Kernel.FailAtChange = failAt;

            var add = node.Run("ADD", Container, Pod, node.DualStackConfig("transparent"));

            Assert.True(add.Exit == 1, $"change {failAt}: {add.Stdout}");
            Assert.True(before == node.Kernel.Node.Snapshot(), $"change {failAt}:\n{node.Kernel.Node.Snapshot()}\n{string.Join("\n", node.Kernel.Journal)}");
            Assert.Equal(["lo"], pod.Links.Select(l => l.Name));
            Assert.DoesNotContain(Container, node.State("azure-vnet.json"), StringComparison.Ordinal);
            Assert.Empty(Reservations(node));
        }
    }

    [Fact]
    public void BridgeAdd_GivesADefaultRoutePerFamily_AndTheBridgeBothNeighbourEntries_DelRemovesThem()
    {
        var pod = _node.AddPod(Pod);
        string config = _node.DualStackConfig("bridge");

        var add = _node.Run("ADD", Container, Pod, config);

        Assert.True(add.Exit == 0, add.Stdout);
        var bridge = Assert.Single(_node.Kernel.Node.Links, l => l.Kind == "bridge");
        var eth0 = pod.GetLink("eth0");
        Assert.Contains(pod.Routes, r => r.Destination is null && r.Gateway?.ToString() == "10.240.0.1" && r.OutputInterfaceIndex == eth0.Index);
        Assert.Contains(pod.Routes, r => r.Destination is null && r.Gateway?.ToString() == "fd00:10:240::1" && r.OutputInterfaceIndex == eth0.Index);
        Assert.Equal(["10.240.0.5", "fd00:10:240::5"], _node.Kernel.Node.Neighbors.Where(n => n.InterfaceIndex == bridge.Index).Select(n => n.Address.ToString()));
        Assert.Contains(_node.Kernel.Rules["azcni:" + Container + ":eth0"], r => r.EndsWith("10.240.0.5,fd00:10:240::5", StringComparison.Ordinal));
        Assert.Contains(_node.Kernel.Journal, j => j == "/fake/netns/pod1: sysctl ipv6 eth0 disable_ipv6=0 accept_ra=0 accept_dad=0");
        var ips = add.Json.GetProperty("ips");
        Assert.Equal("fd00:10:240::1", ips[1].GetProperty("gateway").GetString());
        var check = _node.Run("CHECK", Container, Pod, config);
        Assert.Equal((0, ""), (check.Exit, check.Stdout));
        _node.Kernel.Node.Neighbors.RemoveAll(n => n.Address.AddressFamily == AddressFamily.InterNetworkV6);
        check = _node.Run("CHECK", Container, Pod, config);
        Assert.Equal(1, check.Exit);
        Assert.Contains("neighbour fd00:10:240::5 lladdr", check.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);

        Assert.Equal(0, _node.Run("DEL", Container, Pod, config).Exit);

        Assert.Empty(_node.Kernel.Node.Neighbors);
        Assert.DoesNotContain(_node.Kernel.Rules.Keys, k => k.Contains(Container, StringComparison.Ordinal));
        Assert.Empty(Reservations(_node));
    }

    /// <summary>host-local's reservations: one file per address, named by it.</summary>
    private static IEnumerable<string> Reservations(FakeNode node) =>
        Directory.GetFiles(Path.Combine(node.Dir, "host-local", "azure")).Select(Path.GetFileName).Where(f => f!.StartsWith("10.240", StringComparison.Ordinal) || f.StartsWith("fd00", StringComparison.Ordinal))!;

    private string ContainerMac() => Assert.Single(_node.Kernel.Node.Neighbors).MacAddress!.ToString();
}
