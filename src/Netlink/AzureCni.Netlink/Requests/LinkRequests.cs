using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*LINK requests; pure functions of their arguments, so golden-byte tests cover them.</summary>
internal static class LinkRequests
{
    /// <summary>RTM_GETLINK dump of every link.</summary>
    public static void Dump(ref NetlinkWriter writer)
    {
        writer.BeginMessage(RTM.RTM_GETLINK, RequestFlags.Dump);
        writer.WriteStruct(new ifinfomsg { ifi_family = AF.AF_UNSPEC });
        writer.EndMessage();
    }

    /// <summary>RTM_GETLINK for one link, by index when <paramref name="name"/> is empty.</summary>
    public static void Get(ref NetlinkWriter writer, int index, scoped ReadOnlySpan<byte> name) =>
        ForOneLink(ref writer, RTM.RTM_GETLINK, index, name);

    /// <summary>RTM_NEWLINK of a link with no kind data (bridge, dummy, ifb...).</summary>
    public static void AddSimple(ref NetlinkWriter writer, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> kind, uint? mtu)
    {
        writer.BeginMessage(RTM.RTM_NEWLINK, RequestFlags.Create);
        scoped LinkMessage message = NewLink(name, parentIndex: null, mtu);
        message.Attributes.LinkInfo.Kind = kind;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>
    /// RTM_NEWLINK of a veth pair; the peer is created directly in the namespace whose fd is <paramref name="peer"/>'s
    /// NetNsFd (IFLA_NET_NS_FD inside VETH_INFO_PEER) with its own name and MAC.
    /// </summary>
    public static void AddVeth(ref NetlinkWriter writer, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> mac,
        scoped in VethPeerAttributes peer, uint? mtu)
    {
        writer.BeginMessage(RTM.RTM_NEWLINK, RequestFlags.Create);
        scoped LinkMessage message = NewLink(name, parentIndex: null, mtu);
        message.Attributes.Address = mac;
        // Both ends get the MTU.
        message.Attributes.LinkInfo.Veth.Peer.Attributes = peer;
        message.Attributes.LinkInfo.Veth.Peer.Attributes.Mtu = mtu;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_NEWLINK of a macvlan on <paramref name="parentIndex"/>.</summary>
    public static void AddMacvlan(ref NetlinkWriter writer, scoped ReadOnlySpan<byte> name, int parentIndex, MacvlanMode mode, uint? mtu)
    {
        writer.BeginMessage(RTM.RTM_NEWLINK, RequestFlags.Create);
        scoped LinkMessage message = NewLink(name, parentIndex, mtu);
        message.Attributes.LinkInfo.Macvlan.Mode = (uint)mode;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_NEWLINK of a vxlan with its IFLA_INFO_DATA <paramref name="data"/>.</summary>
    public static void AddVxlan(ref NetlinkWriter writer, scoped ReadOnlySpan<byte> name, scoped in VxlanAttributes data, uint? mtu)
    {
        writer.BeginMessage(RTM.RTM_NEWLINK, RequestFlags.Create);
        scoped LinkMessage message = NewLink(name, parentIndex: null, mtu);
        message.Attributes.LinkInfo.Vxlan = data;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_NEWLINK of an 802.1Q vlan <paramref name="vlanId"/> on <paramref name="parentIndex"/>.</summary>
    public static void AddVlan(ref NetlinkWriter writer, scoped ReadOnlySpan<byte> name, int parentIndex, ushort vlanId, uint? mtu)
    {
        writer.BeginMessage(RTM.RTM_NEWLINK, RequestFlags.Create);
        scoped LinkMessage message = NewLink(name, parentIndex, mtu);
        message.Attributes.LinkInfo.Vlan.Id = vlanId;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_DELLINK by index, or by name when <paramref name="name"/> is not empty.</summary>
    public static void Delete(ref NetlinkWriter writer, int index, scoped ReadOnlySpan<byte> name) =>
        ForOneLink(ref writer, RTM.RTM_DELLINK, index, name);

    /// <summary>RTM_SETLINK changing the <paramref name="change"/> bits of ifi_flags to <paramref name="flags"/>.</summary>
    public static void SetFlags(ref NetlinkWriter writer, int index, uint flags, uint change)
    {
        writer.BeginMessage(RTM.RTM_SETLINK, RequestFlags.Acknowledged);
        writer.WriteStruct(new ifinfomsg { ifi_index = index, ifi_flags = flags, ifi_change = change });
        writer.EndMessage();
    }

    /// <summary>RTM_SETLINK applying every attribute present in <paramref name="attributes"/> (MTU, MAC, name, master, namespace).</summary>
    public static void Set(ref NetlinkWriter writer, int index, scoped in LinkAttributes attributes)
    {
        writer.BeginMessage(RTM.RTM_SETLINK, RequestFlags.Acknowledged);
        writer.WriteStruct(new ifinfomsg { ifi_index = index });
        LinkAttributes.Write(attributes, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_SETLINK (AF_BRIDGE) setting a bridge port's hairpin mode: IFLA_PROTINFO | NLA_F_NESTED { IFLA_BRPORT_MODE }.</summary>
    public static void SetBridgePortHairpin(ref NetlinkWriter writer, int index, bool enabled)
    {
        writer.BeginMessage(RTM.RTM_SETLINK, RequestFlags.Acknowledged);
        scoped var message = new LinkMessage { Header = new ifinfomsg { ifi_family = AF.AF_BRIDGE, ifi_index = index } };
        message.Attributes.BridgePort.Hairpin = enabled ? (byte)1 : (byte)0;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    // A request naming one link by index, or by IFLA_IFNAME when the name is given.
    private static void ForOneLink(ref NetlinkWriter writer, ushort messageType, int index, scoped ReadOnlySpan<byte> name)
    {
        writer.BeginMessage(messageType, RequestFlags.Acknowledged);
        scoped var message = new LinkMessage { Header = new ifinfomsg { ifi_index = index } };
        message.Attributes.Name = name;
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    // The attributes every RTM_NEWLINK here starts from; the caller adds the kind's own.
    private static LinkMessage NewLink(ReadOnlySpan<byte> name, int? parentIndex, uint? mtu)
    {
        var message = new LinkMessage();
        message.Attributes.Name = name;
        message.Attributes.Link = parentIndex;
        message.Attributes.Mtu = mtu;
        return message;
    }
}
