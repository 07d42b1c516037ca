using System.Net;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink.Tests;

/// <summary>
/// Every request kind against bytes laid out by hand from linux/netlink.h, rtnetlink.h and if_link.h
/// (x86-64, little-endian; sequence and port id are 0 here, the socket stamps them on send).
/// The layout comments name each header and attribute: "len type payload".
/// Where a test says "= ip ...", the bytes are also identical (apart from nlmsg_seq) to what iproute2 6.1
/// sent for that command, captured with <c>strace -e trace=sendmsg -e write=all ip -n NS ...</c>; "~ ip"
/// names the one difference.
/// </summary>
public sealed class GoldenBytesTests
{
    private static void AssertBytes(string expected, byte[] actual) =>
        Assert.Equal(Hex.Format(Hex.Parse(expected)), Hex.Format(actual));

    [Fact]
    public void LinkDump()
    {
        AssertBytes("""
            20000000 1200 0103 00000000 00000000   # nlmsghdr len=32 RTM_GETLINK REQUEST|DUMP
            00 00 0000 00000000 00000000 00000000  # ifinfomsg AF_UNSPEC
            """, Encode.With((ref w) => LinkRequests.Dump(ref w)));
    }

    [Fact]
    public void GetLinkByName()
    {
        AssertBytes("""
            2c000000 1200 0500 00000000 00000000   # RTM_GETLINK REQUEST|ACK
            00 00 0000 00000000 00000000 00000000
            0900 0300 6574683000 000000            # IFLA_IFNAME "eth0\0" + 3 pad
            """, Encode.With((ref w) => LinkRequests.Get(ref w, 0, "eth0"u8)));
    }

    [Fact]
    public void AddBridge()
    {
        AssertBytes("""
            # ~ ip link add br0 mtu 1450 type bridge (iproute2 omits the NUL of IFLA_INFO_KIND; the kernel takes both)
            40000000 1000 0506 00000000 00000000   # RTM_NEWLINK REQUEST|ACK|EXCL|CREATE
            00 00 0000 00000000 00000000 00000000
            0800 0400 aa050000                     # IFLA_MTU 1450
            0800 0300 62723000                     # IFLA_IFNAME "br0\0"
            1000 1200                              # IFLA_LINKINFO
              0b00 0100 62726964676500 00          #   IFLA_INFO_KIND "bridge\0" + 1 pad
            """, Encode.With((ref w) => LinkRequests.AddSimple(ref w, "br0"u8, "bridge"u8, 1450)));
    }

    [Fact]
    public void AddDummy()
    {
        AssertBytes("""
            38000000 1000 0506 00000000 00000000
            00 00 0000 00000000 00000000 00000000
            0700 0300 643000 00                    # IFLA_IFNAME "d0\0" + 1 pad
            1000 1200                              # IFLA_LINKINFO
              0a00 0100 64756d6d7900 0000          #   IFLA_INFO_KIND "dummy\0" + 2 pad
            """, Encode.With((ref w) => LinkRequests.AddSimple(ref w, "d0"u8, "dummy"u8, null)));
    }

    [Fact]
    public void AddVethPair_WithPeerInNamespace()
    {
        AssertBytes("""
            # ~ ip link add veth0 address 02:00:00:00:00:01 mtu 1500 type veth peer name eth0 address 02:00:00:00:00:02 mtu 1500
            #   (iproute2 omits the kind's NUL, and adds IFLA_NET_NS_FD only with "netns")
            90000000 1000 0506 00000000 00000000
            00 00 0000 00000000 00000000 00000000
            0a00 0100 020000000001 0000            # IFLA_ADDRESS 02:00:00:00:00:01 + 2 pad
            0800 0400 dc050000                     # IFLA_MTU 1500
            0a00 0300 7665746830 00 0000           # IFLA_IFNAME "veth0\0" + 2 pad
            5000 1200                              # IFLA_LINKINFO (80)
              0900 0100 7665746800 000000          #   IFLA_INFO_KIND "veth\0" + 3 pad
              4000 0200                            #   IFLA_INFO_DATA (64)
                3c00 0100                          #     VETH_INFO_PEER (60)
                  00 00 0000 00000000 00000000 00000000   # peer ifinfomsg
                  0a00 0100 020000000002 0000      #       IFLA_ADDRESS 02:00:00:00:00:02
                  0800 0400 dc050000               #       IFLA_MTU 1500
                  0900 0300 6574683000 000000      #       IFLA_IFNAME "eth0\0"
                  0800 1c00 07000000               #       IFLA_NET_NS_FD 7
            """, Encode.With((ref w) => LinkRequests.AddVeth(ref w, "veth0"u8, [2, 0, 0, 0, 0, 1], new VethPeerAttributes { Name = "eth0"u8, Address = [2, 0, 0, 0, 0, 2], NetNsFd = 7 }, 1500)));
    }

    [Fact]
    public void AddMacvlan()
    {
        AssertBytes("""
            4c000000 1000 0506 00000000 00000000
            00 00 0000 00000000 00000000 00000000
            0800 0300 6d763000                     # IFLA_IFNAME "mv0\0"
            0800 0500 02000000                     # IFLA_LINK 2
            1c00 1200                              # IFLA_LINKINFO (28)
              0c00 0100 6d6163766c616e00           #   IFLA_INFO_KIND "macvlan\0"
              0c00 0200                            #   IFLA_INFO_DATA
                0800 0100 04000000                 #     IFLA_MACVLAN_MODE bridge
            """, Encode.With((ref w) => LinkRequests.AddMacvlan(ref w, "mv0"u8, 2, MacvlanMode.Bridge, null)));
    }

    [Fact]
    public void AddVxlan()
    {
        AssertBytes("""
            5c000000 1000 0506 00000000 00000000
            00 00 0000 00000000 00000000 00000000
            0800 0300 76783000                     # IFLA_IFNAME "vx0\0"
            3400 1200                              # IFLA_LINKINFO (52)
              0a00 0100 7678 6c61 6e00 0000        #   IFLA_INFO_KIND "vxlan\0" + 2 pad
              2400 0200                            #   IFLA_INFO_DATA (36)
                0800 0100 2a000000                 #     IFLA_VXLAN_ID 42
                0800 0400 0a000001                 #     IFLA_VXLAN_LOCAL 10.0.0.1
                0500 0700 01 000000                #     IFLA_VXLAN_LEARNING 1 + 3 pad
                0600 0f00 12b5 0000                #     IFLA_VXLAN_PORT 4789, big-endian + 2 pad
            """, Encode.With((ref w) => LinkRequests.AddVxlan(ref w, "vx0"u8, new VxlanAttributes { Id = 42, Port = 4789, Learning = 1, Local = [10, 0, 0, 1] }, null)));
    }

    [Fact]
    public void AddVlan()
    {
        AssertBytes("""
            50000000 1000 0506 00000000 00000000
            00 00 0000 00000000 00000000 00000000
            0b00 0300 657468302e3500 00            # IFLA_IFNAME "eth0.5\0" + 1 pad
            0800 0500 02000000                     # IFLA_LINK 2
            1c00 1200                              # IFLA_LINKINFO (28)
              0900 0100 766c616e00 000000          #   IFLA_INFO_KIND "vlan\0" + 3 pad
              0c00 0200                            #   IFLA_INFO_DATA
                0600 0100 0500 0000                #     IFLA_VLAN_ID 5 + 2 pad
            """, Encode.With((ref w) => LinkRequests.AddVlan(ref w, "eth0.5"u8, 2, 5, null)));
    }

    [Fact]
    public void DeleteLink_ByNameAndByIndex()
    {
        AssertBytes("""
            2c000000 1100 0500 00000000 00000000   # RTM_DELLINK REQUEST|ACK
            00 00 0000 00000000 00000000 00000000
            0a00 0300 7665746830 00 0000           # IFLA_IFNAME "veth0\0"
            """, Encode.With((ref w) => LinkRequests.Delete(ref w, 0, "veth0"u8)));
        AssertBytes("""
            20000000 1100 0500 00000000 00000000
            00 00 0000 07000000 00000000 00000000  # ifi_index 7
            """, Encode.With((ref w) => LinkRequests.Delete(ref w, 7, default)));
    }

    [Fact]
    public void SetLinkUp()
    {
        AssertBytes("""
            20000000 1300 0500 00000000 00000000   # RTM_SETLINK REQUEST|ACK
            00 00 0000 03000000 01000000 01000000  # ifi_index 3, ifi_flags IFF_UP, ifi_change IFF_UP
            """, Encode.With((ref w) => LinkRequests.SetFlags(ref w, 3, IFF.IFF_UP, IFF.IFF_UP)));
    }

    [Fact]
    public void SetLinkMasterMtuNamespace()
    {
        AssertBytes("""
            38000000 1300 0500 00000000 00000000
            00 00 0000 03000000 00000000 00000000
            0800 0400 78050000                     # IFLA_MTU 1400
            0800 0a00 02000000                     # IFLA_MASTER 2
            0800 1c00 09000000                     # IFLA_NET_NS_FD 9
            """, Encode.With((ref w) =>
            {
                var attributes = new LinkAttributes { Mtu = 1400, Master = 2, NetNsFd = 9 };
                LinkRequests.Set(ref w, 3, in attributes);
            }));
    }

    [Fact]
    public void SetBridgePortHairpin()
    {
        AssertBytes("""
            2c000000 1300 0500 00000000 00000000
            07 00 0000 04000000 00000000 00000000  # ifinfomsg AF_BRIDGE, ifi_index 4
            0c00 0c80                              # IFLA_PROTINFO | NLA_F_NESTED
              0500 0400 01 000000                  #   IFLA_BRPORT_MODE 1 (hairpin) + 3 pad
            """, Encode.With((ref w) => LinkRequests.SetBridgePortHairpin(ref w, 4, true)));
    }

    [Fact]
    public void AddAddress_IPv4()
    {
        AssertBytes("""
            # = ip addr add 10.1.2.3/24 dev IF3
            28000000 1400 0506 00000000 00000000   # RTM_NEWADDR REQUEST|ACK|EXCL|CREATE
            02 18 00 00 03000000                   # ifaddrmsg AF_INET /24 scope universe ifindex 3
            0800 0200 0a010203                     # IFA_LOCAL 10.1.2.3
            0800 0100 0a010203                     # IFA_ADDRESS 10.1.2.3
            """, Encode.With((ref w) => AddressRequests.Modify(ref w, RTM.RTM_NEWADDR, RequestFlags.Create, new(3, IPAddress.Parse("10.1.2.3"), 24, RouteScope.Universe, false))));
    }

    [Fact]
    public void AddAddress_IPv6NoDadLinkScope()
    {
        AssertBytes("""
            # = ip addr add fd00::5/64 dev IF3 scope link nodad
            40000000 1400 0506 00000000 00000000
            0a 40 02 fd 03000000                   # ifaddrmsg AF_INET6 /64 IFA_F_NODAD scope link ifindex 3
            1400 0200 fd000000000000000000000000000005   # IFA_LOCAL fd00::5
            1400 0100 fd000000000000000000000000000005   # IFA_ADDRESS fd00::5
            """, Encode.With((ref w) => AddressRequests.Modify(ref w, RTM.RTM_NEWADDR, RequestFlags.Create, new(3, IPAddress.Parse("fd00::5"), 64, RouteScope.Link, true))));
    }

    [Fact]
    public void DeleteAddress()
    {
        AssertBytes("""
            # = ip addr del 192.168.0.1/32 dev IF3
            28000000 1500 0500 00000000 00000000   # RTM_DELADDR REQUEST|ACK
            02 20 00 00 03000000
            0800 0200 c0a80001                     # IFA_LOCAL
            0800 0100 c0a80001                     # IFA_ADDRESS
            """, Encode.With((ref w) => AddressRequests.Modify(ref w, RTM.RTM_DELADDR, RequestFlags.Acknowledged, new(3, IPAddress.Parse("192.168.0.1"), 32, RouteScope.Universe, false))));
    }

    [Fact]
    public void AddressDump()
    {
        AssertBytes("""
            18000000 1600 0103 00000000 00000000   # RTM_GETADDR REQUEST|DUMP
            02 00 00 00 03000000                   # AF_INET, ifindex 3 (strict filter)
            """, Encode.With((ref w) => AddressRequests.Dump(ref w, AF.AF_INET, 3)));
    }

    [Fact]
    public void AddRoute_ViaGatewayWithMetric()
    {
        var route = new RouteEntry
        {
            Destination = IPAddress.Parse("172.16.0.0"),
            DestinationPrefixLength = 16,
            Gateway = IPAddress.Parse("10.20.0.1"),
            OutputInterfaceIndex = 3,
            Protocol = RouteProtocol.Static,
            Metric = 50,
        };
        AssertBytes("""
            # = ip route add 172.16.0.0/16 via 10.20.0.1 dev IF3 proto static metric 50
            3c000000 1800 0506 00000000 00000000   # RTM_NEWROUTE REQUEST|ACK|EXCL|CREATE
            02 10 00 00 fe 04 00 01 00000000       # rtmsg AF_INET /16 table main proto static scope universe unicast
            0800 0100 ac100000                     # RTA_DST 172.16.0.0
            0800 0500 0a140001                     # RTA_GATEWAY 10.20.0.1
            0800 0600 32000000                     # RTA_PRIORITY 50
            0800 0400 03000000                     # RTA_OIF 3
            """, Encode.With((ref w) => RouteRequests.Modify(ref w, RTM.RTM_NEWROUTE, RequestFlags.Create, route)));
    }

    [Fact]
    public void ReplaceRoute_DefaultInTable1000_LinkScopeDirect()
    {
        AssertBytes("""
            # = ip route replace default via 169.254.1.1 table 1000
            2c000000 1800 0505 00000000 00000000   # RTM_NEWROUTE REQUEST|ACK|REPLACE|CREATE
            02 00 00 00 00 03 00 01 00000000       # default, table RT_TABLE_UNSPEC, proto boot, scope universe
            0800 0500 a9fe0101                     # RTA_GATEWAY 169.254.1.1
            0800 0f00 e8030000                     # RTA_TABLE 1000
            """, Encode.With((ref w) => RouteRequests.Modify(ref w, RTM.RTM_NEWROUTE, RequestFlags.Replace,
                new RouteEntry { Gateway = IPAddress.Parse("169.254.1.1"), Table = 1000 })));
        AssertBytes("""
            # = ip route add 169.254.1.1/32 dev IF5
            2c000000 1800 0506 00000000 00000000
            02 20 00 00 fe 03 fd 01 00000000       # /32, main, boot, scope link (no gateway), unicast
            0800 0100 a9fe0101                     # RTA_DST
            0800 0400 05000000                     # RTA_OIF 5
            """, Encode.With((ref w) => RouteRequests.Modify(ref w, RTM.RTM_NEWROUTE, RequestFlags.Create,
                new RouteEntry { Destination = IPAddress.Parse("169.254.1.1"), DestinationPrefixLength = 32, OutputInterfaceIndex = 5 })));
    }

    [Fact]
    public void DeleteRoute_IPv6()
    {
        AssertBytes("""
            # = ip route del fd00:99::/48
            30000000 1900 0500 00000000 00000000   # RTM_DELROUTE REQUEST|ACK
            0a 30 00 00 fe 00 00 00 00000000       # AF_INET6 /48 main, proto 0, scope universe (IPv6), type 0
            1400 0100 fd000099000000000000000000000000   # RTA_DST fd00:99::
            """, Encode.With((ref w) => RouteRequests.Modify(ref w, RTM.RTM_DELROUTE, RequestFlags.Acknowledged,
                new RouteEntry { Destination = IPAddress.Parse("fd00:99::"), DestinationPrefixLength = 48 })));
    }

    [Fact]
    public void RouteDump()
    {
        AssertBytes("""
            1c000000 1a00 0103 00000000 00000000   # RTM_GETROUTE REQUEST|DUMP
            0a 00 00 00 00 00 00 00 00000000       # rtmsg AF_INET6
            """, Encode.With((ref w) => RouteRequests.Dump(ref w, AF.AF_INET6)));
    }

    [Fact]
    public void AddRule_FwMarkLookupTable()
    {
        AssertBytes("""
            # = ip -4 rule add fwmark 0x3 lookup 101
            2c000000 2000 0506 00000000 00000000   # RTM_NEWRULE REQUEST|ACK|EXCL|CREATE
            02 00 00 00 65 00 00 01 00000000       # fib_rule_hdr AF_INET table 101 FR_ACT_TO_TBL
            0800 0a00 03000000                     # FRA_FWMARK 3
            0800 0f00 65000000                     # FRA_TABLE 101
            """, Encode.With((ref w) => RuleRequests.Modify(ref w, RTM.RTM_NEWRULE, RequestFlags.Create, new FibRule { FwMark = 3, Table = 101 })));
    }

    [Fact]
    public void DumpRules_IPv4()
    {
        AssertBytes("""
            # = ip -4 rule show
            1c000000 2200 0103 00000000 00000000   # RTM_GETRULE REQUEST|DUMP
            02 00 00 00 00 00 00 00 00000000       # fib_rule_hdr AF_INET
            """, Encode.With((ref w) => RuleRequests.Dump(ref w, AF.AF_INET)));
    }

    [Fact]
    public void AddNeighbor_Permanent()
    {
        AssertBytes("""
            # = ip neigh add 10.40.0.9 lladdr 02:00:00:00:40:09 dev IF3 nud permanent
            30000000 1c00 0506 00000000 00000000   # RTM_NEWNEIGH REQUEST|ACK|EXCL|CREATE
            02 00 0000 03000000 8000 00 00         # ndmsg AF_INET ifindex 3 NUD_PERMANENT
            0800 0100 0a280009                     # NDA_DST 10.40.0.9
            0a00 0200 020000004009 0000            # NDA_LLADDR 02:00:00:00:40:09
            """, Encode.With((ref w) => NeighborRequests.Modify(ref w, RTM.RTM_NEWNEIGH, RequestFlags.Create, new(3, IPAddress.Parse("10.40.0.9"), [2, 0, 0, 0, 0x40, 9], NeighborState.Permanent))));
    }

    [Fact]
    public void ReplaceNeighbor_ProbeAndDelete()
    {
        AssertBytes("""
            # = ip neigh replace 10.40.0.9 lladdr 02:00:00:00:40:0a dev IF3 nud probe
            30000000 1c00 0505 00000000 00000000   # REPLACE|CREATE
            02 00 0000 03000000 1000 00 00         # NUD_PROBE
            0800 0100 0a280009
            0a00 0200 02000000400a 0000
            """, Encode.With((ref w) => NeighborRequests.Modify(ref w, RTM.RTM_NEWNEIGH, RequestFlags.Replace, new(3, IPAddress.Parse("10.40.0.9"), [2, 0, 0, 0, 0x40, 0x0a], NeighborState.Probe))));
        AssertBytes("""
            # ~ ip neigh del 10.40.0.9 dev IF3 (iproute2 leaves ndm_state NUD_PERMANENT; a delete ignores it)
            24000000 1d00 0500 00000000 00000000   # RTM_DELNEIGH REQUEST|ACK
            02 00 0000 03000000 0000 00 00
            0800 0100 0a280009
            """, Encode.With((ref w) => NeighborRequests.Modify(ref w, RTM.RTM_DELNEIGH, RequestFlags.Acknowledged, new(3, IPAddress.Parse("10.40.0.9"), null, NeighborState.None))));
    }

    [Fact]
    public void NeighborDump_FilterIsAnAttribute()
    {
        AssertBytes("""
            24000000 1e00 0103 00000000 00000000   # RTM_GETNEIGH REQUEST|DUMP
            00 00 0000 00000000 0000 00 00         # header all zero, as strict checking demands
            0800 0800 03000000                     # NDA_IFINDEX 3
            """, Encode.With((ref w) => NeighborRequests.Dump(ref w, AF.AF_UNSPEC, 3)));
    }
}
