using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;

namespace AzureCni.Netlink.IntegrationTests;

/// <summary>Link operations against the live kernel, each inside namespaces the test creates, checked with <c>ip -j</c>.</summary>
[Trait("Category", "Privileged")]
public sealed class LinkTests
{
    private const int EOPNOTSUPP = 95;

    [RootFact]
    public void ListLinks_MatchesIpLinkShow()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br-list", mtu: 1400);
        ns.Netlink.AddVethPair("vl0", "vl1", macAddress: PhysicalAddress.Parse("02-00-00-00-00-0A"));
        ns.Netlink.SetLinkMaster(ns.IndexOf("vl0"), ns.IndexOf("br-list"));
        ns.Netlink.SetLinkUp(ns.IndexOf("vl1"));

        IReadOnlyList<LinkInfo> links = ns.Netlink.ListLinks();
        JsonElement ip = ns.IpJson("-d", "link", "show");

        Assert.Equal(ip.GetArrayLength(), links.Count);
        foreach (JsonElement expected in ip.EnumerateArray())
        {
            LinkInfo actual = Assert.Single(links, l => l.Index == expected.GetProperty("ifindex").GetInt32());
            Assert.Equal(expected.GetProperty("ifname").GetString(), actual.Name);
            Assert.Equal(expected.GetProperty("mtu").GetInt32(), actual.Mtu);
            Assert.Equal(expected.GetProperty("address").GetString(), FormatMac(actual.MacAddress));
            Assert.Equal(expected.GetProperty("operstate").GetString(), actual.OperState.ToString().ToUpperInvariant() switch
            {
                "LOWERLAYERDOWN" => "LOWERLAYERDOWN",
                var s => s,
            });
            string? kind = expected.TryGetProperty("linkinfo", out JsonElement info) && info.TryGetProperty("info_kind", out JsonElement k) ? k.GetString() : null;
            Assert.Equal(kind, actual.Kind);
            int? master = expected.TryGetProperty("master", out JsonElement m) ? ns.IndexOf(m.GetString()!) : null;
            Assert.Equal(master, actual.MasterIndex);
            Assert.Equal(expected.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP"), actual.IsUp);
        }
    }

    [RootFact]
    public void ListLinks_DumpSpanningManyDatagrams_ReturnsEveryLink()
    {
        using var ns = TestNamespace.Create();
        for (int i = 0; i < 60; i++)
            ns.Netlink.AddVethPair($"m{i}a", $"m{i}b");

        IReadOnlyList<LinkInfo> links = ns.Netlink.ListLinks();

        Assert.Equal(121, links.Count);
        Assert.Equal(ns.IpJson("link", "show").GetArrayLength(), links.Count);
        Assert.Equal(links.Count, links.Select(l => l.Index).Distinct().Count());
    }

    [RootFact]
    public void GetLink_ByNameAndByIndex_ReturnsSameLink_AndMissingIsFalse()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br-get");

        LinkInfo byName = ns.Netlink.GetLink("br-get");
        LinkInfo byIndex = ns.Netlink.GetLink(byName.Index);

        Assert.Equal(byName, byIndex with { MacAddress = byName.MacAddress });
        Assert.Equal(ns.IpLink("br-get").GetProperty("ifindex").GetInt32(), byName.Index);
        Assert.Equal("bridge", byName.Kind);
        Assert.False(ns.Netlink.TryGetLink("nosuchlink", out _));
        Assert.False(ns.Netlink.TryGetLink(9999, out _));
        NetlinkException e = Assert.Throws<NetlinkException>(() => ns.Netlink.GetLink("nosuchlink"));
        Assert.True(e.IsNotFound);
    }

    [RootFact]
    public void AddBridge_CreatesBridgeWithMtu()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br0", mtu: 1450);

        JsonElement link = ns.IpLink("br0");
        Assert.Equal("bridge", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(1450, link.GetProperty("mtu").GetInt32());
    }

    [RootFact]
    public void AddBridge_Twice_FailsWithAlreadyExists()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br0");

        NetlinkException e = Assert.Throws<NetlinkException>(() => ns.Netlink.AddBridge("br0"));

        Assert.True(e.IsAlreadyExists);
        Assert.Contains("br0", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void AddVethPair_PeerCreatedInsideTargetNamespace_WithItsOwnNameAndMac()
    {
        using var host = TestNamespace.Create();
        using var container = TestNamespace.Create();
        var hostMac = PhysicalAddress.Parse("02-AA-00-00-00-01");
        var peerMac = PhysicalAddress.Parse("02-BB-00-00-00-02");

        host.Netlink.AddVethPair("azv0", "eth0", container.Namespace, hostMac, peerMac, mtu: 1400);

        JsonElement hostSide = host.IpLink("azv0");
        JsonElement peer = container.IpLink("eth0");
        Assert.Equal("veth", hostSide.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("02:aa:00:00:00:01", hostSide.GetProperty("address").GetString());
        Assert.Equal("02:bb:00:00:00:02", peer.GetProperty("address").GetString());
        Assert.Equal(1400, hostSide.GetProperty("mtu").GetInt32());
        Assert.Equal(1400, peer.GetProperty("mtu").GetInt32());
        Assert.False(host.Netlink.TryGetLink("eth0", out _));
        Assert.Equal(peerMac, container.Netlink.GetLink("eth0").MacAddress);
    }

    [RootFact]
    public void AddMacvlan_OnVeth_HasKindModeAndParent()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddVethPair("lower0", "lower1");
        int parent = ns.IndexOf("lower0");

        ns.Netlink.AddMacvlan("mv0", parent, MacvlanMode.Bridge);

        JsonElement link = ns.IpLink("mv0");
        Assert.Equal("macvlan", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("bridge", link.GetProperty("linkinfo").GetProperty("info_data").GetProperty("mode").GetString());
        Assert.Equal("lower0", link.GetProperty("link").GetString());
        Assert.Equal(parent, ns.Netlink.GetLink("mv0").ParentIndex);
    }

    [RootFact]
    public void AddVxlan_HasVniPortAndLocal()
    {
        using var ns = TestNamespace.Create();

        ns.Netlink.AddVxlan("vx0", new VxlanSettings(4242) { Port = 4790, Local = IPAddress.Parse("10.9.8.7"), Learning = false });

        JsonElement data = ns.IpLink("vx0").GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(4242, data.GetProperty("id").GetInt32());
        Assert.Equal(4790, data.GetProperty("port").GetInt32());
        Assert.Equal("10.9.8.7", data.GetProperty("local").GetString());
        Assert.False(data.GetProperty("learning").GetBoolean());
    }

    [RootFact]
    public void AddIfb_CreatesIfbLink()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddIfb("ifb0");
        Assert.Equal("ifb", ns.Netlink.GetLink("ifb0").Kind);
    }

    [RootFact]
    public void AddDummy_WhereKernelLacksDummy_SurfacesUnknownDeviceType()
    {
        using var ns = TestNamespace.Create();
        try
        {
            ns.Netlink.AddDummy("dummy0");
        }
        catch (NetlinkException e)
        {
            Assert.Equal(EOPNOTSUPP, e.Errno);
            Assert.Equal("Unknown device type", e.ExtendedAck?.TrimEnd('.'));
            Assert.Contains("dummy0", e.Message, StringComparison.Ordinal);
            return;
        }
        // A kernel with CONFIG_DUMMY accepts it; then it must really be a dummy link.
        Assert.Equal("dummy", ns.IpLink("dummy0").GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [RootFact]
    public void AddVlan_WhereKernelLacksVlan_SurfacesUnknownDeviceType()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddVethPair("trunk0", "trunk1");
        try
        {
            ns.Netlink.AddVlan("trunk0.5", ns.IndexOf("trunk0"), 5);
        }
        catch (NetlinkException e)
        {
            Assert.Equal(EOPNOTSUPP, e.Errno);
            Assert.Equal("Unknown device type", e.ExtendedAck?.TrimEnd('.'));
            return;
        }
        Assert.Equal(5, ns.IpLink("trunk0.5").GetProperty("linkinfo").GetProperty("info_data").GetProperty("id").GetInt32());
    }

    [RootFact]
    public void DeleteLink_ByNameAndIndex_RemovesIt_AndMissingIsSuccessOnlyWhenAsked()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br-a");
        ns.Netlink.AddBridge("br-b");

        Assert.True(ns.Netlink.DeleteLink("br-a"));
        Assert.True(ns.Netlink.DeleteLink(ns.IndexOf("br-b")));

        Assert.Equal(["lo"], ns.IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()));
        Assert.False(ns.Netlink.DeleteLink("br-a", missingOk: true));
        Assert.False(ns.Netlink.DeleteLink(4242, missingOk: true));
        NetlinkException e = Assert.Throws<NetlinkException>(() => ns.Netlink.DeleteLink("br-a"));
        Assert.True(e.IsNotFound);
    }

    [RootFact]
    public void SetLinkUpAndDown_ChangesAdminState()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br0");
        int index = ns.IndexOf("br0");

        ns.Netlink.SetLinkUp(index);
        Assert.Contains("UP", Flags(ns.IpLink("br0")));
        Assert.True(ns.Netlink.GetLink(index).IsUp);

        ns.Netlink.SetLinkDown(index);
        Assert.DoesNotContain("UP", Flags(ns.IpLink("br0")));
        Assert.False(ns.Netlink.GetLink(index).IsUp);
    }

    [RootFact]
    public void SetLinkMtuMacAndName_AreApplied()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddVethPair("old0", "peer0");
        int index = ns.IndexOf("old0");

        ns.Netlink.SetLinkMtu(index, 1280);
        ns.Netlink.SetLinkMacAddress(index, PhysicalAddress.Parse("02-12-34-56-78-9A"));
        ns.Netlink.SetLinkName(index, "new0");

        JsonElement link = ns.IpLink("new0");
        Assert.Equal(index, link.GetProperty("ifindex").GetInt32());
        Assert.Equal(1280, link.GetProperty("mtu").GetInt32());
        Assert.Equal("02:12:34:56:78:9a", link.GetProperty("address").GetString());
        Assert.False(ns.Netlink.TryGetLink("old0", out _));
    }

    [RootFact]
    public void SetLinkMasterAndNoMaster_AttachAndDetachBridgePort()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br0");
        ns.Netlink.AddVethPair("port0", "port1");
        int port = ns.IndexOf("port0");

        ns.Netlink.SetLinkMaster(port, ns.IndexOf("br0"));
        Assert.Equal("br0", ns.IpLink("port0").GetProperty("master").GetString());
        Assert.Equal(ns.IndexOf("br0"), ns.Netlink.GetLink(port).MasterIndex);

        ns.Netlink.SetLinkNoMaster(port);
        Assert.False(ns.IpLink("port0").TryGetProperty("master", out _));
        Assert.Null(ns.Netlink.GetLink(port).MasterIndex);
    }

    [RootFact]
    public void SetBridgePortHairpin_TurnsHairpinOnAndOff()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddBridge("br0");
        ns.Netlink.AddVethPair("hp0", "hp1");
        int port = ns.IndexOf("hp0");
        ns.Netlink.SetLinkMaster(port, ns.IndexOf("br0"));

        ns.Netlink.SetBridgePortHairpin(port, enabled: true);
        Assert.True(SlaveData(ns.IpLink("hp0")).GetProperty("hairpin").GetBoolean());

        ns.Netlink.SetBridgePortHairpin(port, enabled: false);
        Assert.False(SlaveData(ns.IpLink("hp0")).GetProperty("hairpin").GetBoolean());
    }

    [RootFact]
    public void MoveLinkToNamespace_LinkLeavesAndAppearsThere()
    {
        using var host = TestNamespace.Create();
        using var container = TestNamespace.Create();
        host.Netlink.AddVethPair("mv-a", "mv-b");

        host.Netlink.MoveLinkToNamespace(host.IndexOf("mv-b"), container.Namespace);

        Assert.False(host.Netlink.TryGetLink("mv-b", out _));
        Assert.Equal("veth", container.IpLink("mv-b").GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    private static JsonElement SlaveData(JsonElement link) => link.GetProperty("linkinfo").GetProperty("info_slave_data");

    private static string[] Flags(JsonElement link) => link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();

    private static string FormatMac(PhysicalAddress? mac) =>
        mac is null ? "" : string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
