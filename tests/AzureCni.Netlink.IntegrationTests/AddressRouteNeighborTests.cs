using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;

namespace AzureCni.Netlink.IntegrationTests;

/// <summary>Addresses, routes and neighbours against the live kernel, checked with <c>ip -j</c>.</summary>
[Trait("Category", "Privileged")]
public sealed class AddressRouteNeighborTests
{
    [RootFact]
    public void AddAddress_IPv4AndIPv6_ListedLikeIp()
    {
        using var ns = TestNamespace.Create();
        int index = UpVeth(ns, "ad0", "ad1");

        ns.Netlink.AddAddress(index, IPAddress.Parse("10.1.2.3"), 24);
        ns.Netlink.AddAddress(index, IPAddress.Parse("10.1.3.1"), 32, RouteScope.Link);
        ns.Netlink.AddAddress(index, IPAddress.Parse("fd00::5"), 64, noDad: true);

        JsonElement ip = ns.IpJson("addr", "show", "dev", "ad0")[0].GetProperty("addr_info");
        IReadOnlyList<AddressInfo> listed = ns.Netlink.ListAddresses(index);
        foreach (JsonElement expected in ip.EnumerateArray())
        {
            AddressInfo actual = Assert.Single(listed, a => a.Address.Equals(IPAddress.Parse(expected.GetProperty("local").GetString()!)));
            Assert.Equal(expected.GetProperty("prefixlen").GetInt32(), actual.PrefixLength);
            Assert.Equal(expected.GetProperty("scope").GetString(), actual.Scope.ToString().ToLowerInvariant() switch
            {
                "universe" => "global",
                var s => s,
            });
        }
        Assert.Equal(ip.GetArrayLength(), listed.Count);
        Assert.Contains(listed, a => a.Address.ToString() == "10.1.3.1" && a.Scope == RouteScope.Link);
        Assert.Contains(listed, a => a.Address.ToString() == "fd00::5" && a.PrefixLength == 64);
        Assert.All(ns.Netlink.ListAddresses(index, AddressFamily.InterNetwork), a => Assert.Equal(AddressFamily.InterNetwork, a.Address.AddressFamily));
    }

    [RootFact]
    public void AddAddress_Twice_FailsWithAlreadyExists_AndDeleteRemovesIt()
    {
        using var ns = TestNamespace.Create();
        int index = UpVeth(ns, "ad0", "ad1");
        var address = IPAddress.Parse("192.168.50.2");
        ns.Netlink.AddAddress(index, address, 24);

        Assert.True(Assert.Throws<NetlinkException>(() => ns.Netlink.AddAddress(index, address, 24)).IsAlreadyExists);

        Assert.True(ns.Netlink.DeleteAddress(index, address, 24));
        Assert.DoesNotContain(ns.Netlink.ListAddresses(index), a => a.Address.Equals(address));
        Assert.DoesNotContain(ns.IpJson("-4", "addr", "show", "dev", "ad0").EnumerateArray()
            .SelectMany(l => l.TryGetProperty("addr_info", out JsonElement info) ? info.EnumerateArray() : Enumerable.Empty<JsonElement>()),
            a => a.GetProperty("local").GetString() == "192.168.50.2");
        Assert.False(ns.Netlink.DeleteAddress(index, address, 24, missingOk: true));
        Assert.Throws<NetlinkException>(() => ns.Netlink.DeleteAddress(index, address, 24));
    }

    [RootFact]
    public void AddReplaceDeleteRoute_WithGatewayTableProtocolMetric_MatchesIpRoute()
    {
        using var ns = TestNamespace.Create();
        int index = UpVeth(ns, "rt0", "rt1");
        ns.Netlink.AddAddress(index, IPAddress.Parse("10.20.0.2"), 24);
        var route = new RouteEntry
        {
            Destination = IPAddress.Parse("172.16.0.0"),
            DestinationPrefixLength = 16,
            Gateway = IPAddress.Parse("10.20.0.1"),
            OutputInterfaceIndex = index,
            Protocol = RouteProtocol.Static,
            Metric = 50,
        };

        ns.Netlink.AddRoute(route);
        JsonElement added = Assert.Single(ns.IpJson("route", "show", "172.16.0.0/16").EnumerateArray());
        Assert.Equal("10.20.0.1", added.GetProperty("gateway").GetString());
        Assert.Equal("rt0", added.GetProperty("dev").GetString());
        Assert.Equal("static", added.GetProperty("protocol").GetString());
        Assert.Equal(50, added.GetProperty("metric").GetInt32());
        Assert.True(Assert.Throws<NetlinkException>(() => ns.Netlink.AddRoute(route)).IsAlreadyExists);

        ns.Netlink.ReplaceRoute(route with { Gateway = IPAddress.Parse("10.20.0.9") });
        Assert.Equal("10.20.0.9", Assert.Single(ns.IpJson("route", "show", "172.16.0.0/16").EnumerateArray()).GetProperty("gateway").GetString());
        RouteEntry listed = Assert.Single(ns.Netlink.ListRoutes(AddressFamily.InterNetwork), r => r.Destination?.ToString() == "172.16.0.0");
        Assert.Equal(16, listed.DestinationPrefixLength);
        Assert.Equal(IPAddress.Parse("10.20.0.9"), listed.Gateway);
        Assert.Equal(index, listed.OutputInterfaceIndex);
        Assert.Equal(50u, listed.Metric);
        Assert.Equal(RouteProtocol.Static, listed.Protocol);
        Assert.Equal(RouteScope.Universe, listed.Scope);

        Assert.True(ns.Netlink.DeleteRoute(route with { Gateway = null }));
        Assert.Equal(0, ns.IpJson("route", "show", "172.16.0.0/16").GetArrayLength());
        Assert.False(ns.Netlink.DeleteRoute(route, missingOk: true));
    }

    [RootFact]
    public void AddRoute_DefaultAndLinkScope_InCustomTable_AndIPv6()
    {
        using var ns = TestNamespace.Create();
        int index = UpVeth(ns, "rt0", "rt1");
        ns.Netlink.AddAddress(index, IPAddress.Parse("10.30.0.2"), 24);
        ns.Netlink.AddAddress(index, IPAddress.Parse("fd00:30::2"), 64, noDad: true);

        ns.Netlink.AddRoute(new RouteEntry { Destination = IPAddress.Parse("169.254.1.1"), DestinationPrefixLength = 32, OutputInterfaceIndex = index, Table = 1000 });
        ns.Netlink.AddRoute(new RouteEntry { Gateway = IPAddress.Parse("169.254.1.1"), OutputInterfaceIndex = index, Table = 1000 });
        ns.Netlink.AddRoute(new RouteEntry { Destination = IPAddress.Parse("fd00:99::"), DestinationPrefixLength = 48, Gateway = IPAddress.Parse("fd00:30::1"), OutputInterfaceIndex = index, Metric = 7 });

        JsonElement table = ns.IpJson("route", "show", "table", "1000");
        Assert.Equal(2, table.GetArrayLength());
        JsonElement linkRoute = Assert.Single(table.EnumerateArray(), r => r.GetProperty("dst").GetString() == "169.254.1.1");
        Assert.Equal("link", linkRoute.GetProperty("scope").GetString());
        JsonElement defaultRoute = Assert.Single(table.EnumerateArray(), r => r.GetProperty("dst").GetString() == "default");
        Assert.Equal("169.254.1.1", defaultRoute.GetProperty("gateway").GetString());
        IReadOnlyList<RouteEntry> listed = ns.Netlink.ListRoutes(AddressFamily.InterNetwork, table: 1000);
        Assert.Equal(2, listed.Count);
        Assert.Contains(listed, r => r.Destination is null && r.DestinationPrefixLength == 0 && r.Table == 1000);
        Assert.DoesNotContain(ns.Netlink.ListRoutes(AddressFamily.InterNetwork), r => r.Table == 1000);

        JsonElement v6 = Assert.Single(ns.IpJson("-6", "route", "show", "fd00:99::/48").EnumerateArray());
        Assert.Equal("fd00:30::1", v6.GetProperty("gateway").GetString());
        Assert.Equal(7, v6.GetProperty("metric").GetInt32());
        Assert.Contains(ns.Netlink.ListRoutes(AddressFamily.InterNetworkV6), r => r.Destination?.ToString() == "fd00:99::" && r.Metric == 7);
    }

    [RootFact]
    public void AddReplaceDeleteNeighbor_PermanentAndProbe()
    {
        using var ns = TestNamespace.Create();
        int index = UpVeth(ns, "nb0", "nb1");
        ns.Netlink.AddAddress(index, IPAddress.Parse("10.40.0.2"), 24);
        var address = IPAddress.Parse("10.40.0.9");
        var mac = PhysicalAddress.Parse("02-00-00-00-40-09");

        ns.Netlink.AddNeighbor(index, address, mac, NeighborState.Permanent);
        JsonElement entry = Assert.Single(ns.IpJson("neigh", "show", "dev", "nb0").EnumerateArray());
        Assert.Equal("10.40.0.9", entry.GetProperty("dst").GetString());
        Assert.Equal("02:00:00:00:40:09", entry.GetProperty("lladdr").GetString());
        Assert.Equal(["PERMANENT"], entry.GetProperty("state").EnumerateArray().Select(s => s.GetString()));
        Assert.True(Assert.Throws<NetlinkException>(() => ns.Netlink.AddNeighbor(index, address, mac)).IsAlreadyExists);

        ns.Netlink.ReplaceNeighbor(index, address, PhysicalAddress.Parse("02-00-00-00-40-0A"), NeighborState.Probe);
        entry = Assert.Single(ns.IpJson("neigh", "show", "dev", "nb0").EnumerateArray());
        Assert.Equal("02:00:00:00:40:0a", entry.GetProperty("lladdr").GetString());
        Assert.DoesNotContain("PERMANENT", entry.GetProperty("state").EnumerateArray().Select(s => s.GetString()));
        NeighborEntry listed = Assert.Single(ns.Netlink.ListNeighbors(index, AddressFamily.InterNetwork));
        Assert.Equal(address, listed.Address);
        Assert.NotEqual(NeighborState.Permanent, listed.State);

        Assert.True(ns.Netlink.DeleteNeighbor(index, address));
        Assert.Equal(0, ns.IpJson("neigh", "show", "dev", "nb0").GetArrayLength());
        Assert.False(ns.Netlink.DeleteNeighbor(index, address, missingOk: true));
    }

    [RootFact]
    public void AddNeighbor_IPv6Permanent()
    {
        using var ns = TestNamespace.Create();
        int index = UpVeth(ns, "nb0", "nb1");
        ns.Netlink.AddNeighbor(index, IPAddress.Parse("fd00::77"), PhysicalAddress.Parse("02-00-00-00-00-77"));

        JsonElement entry = Assert.Single(ns.IpJson("-6", "neigh", "show", "dev", "nb0").EnumerateArray(), e => e.GetProperty("dst").GetString() == "fd00::77");
        Assert.Equal("02:00:00:00:00:77", entry.GetProperty("lladdr").GetString());
    }

    private static int UpVeth(TestNamespace ns, string name, string peer)
    {
        ns.Netlink.AddVethPair(name, peer);
        int index = ns.IndexOf(name);
        ns.Netlink.SetLinkUp(index);
        ns.Netlink.SetLinkUp(ns.IndexOf(peer));
        return index;
    }
}
