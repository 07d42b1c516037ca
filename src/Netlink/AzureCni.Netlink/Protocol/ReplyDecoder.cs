using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// Turns kernel replies into the public records. Malformed input raises <see cref="NetlinkDecodeException"/>,
/// never anything else.
/// </summary>
internal static class ReplyDecoder
{
    public static LinkInfo DecodeLink(ReadOnlySpan<byte> payload)
    {
        if (!LinkMessage.TryRead(payload, out LinkMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "link message");
        ref readonly LinkAttributes a = ref message.Attributes;
        int index = message.Header.ifi_index;
        return new LinkInfo
        {
            Index = index,
            Name = Encoding.UTF8.GetString(a.Name),
            MacAddress = a.Address.IsEmpty ? null : new PhysicalAddress(a.Address.ToArray()),
            Mtu = (int)(a.Mtu ?? 0),
            MasterIndex = a.Master is > 0 ? a.Master : null,
            ParentIndex = a.Link is { } link && link > 0 && link != index ? link : null,
            Kind = a.LinkInfo.Kind.IsEmpty ? null : Encoding.UTF8.GetString(a.LinkInfo.Kind),
            OperState = (LinkOperState)(a.OperState ?? 0),
            Flags = message.Header.ifi_flags,
        };
    }

    public static AddressInfo DecodeAddress(ReadOnlySpan<byte> payload)
    {
        if (!AddressMessage.TryRead(payload, out AddressMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "address message");
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
        ReadOnlySpan<byte> address = message.Attributes.Local.IsEmpty ? message.Attributes.Address : message.Attributes.Local;
        return new AddressInfo(
            message.Header.ifa_index,
            ToAddress(address, "address"),
            message.Header.ifa_prefixlen,
            (RouteScope)message.Header.ifa_scope,
            message.Attributes.Label.IsEmpty ? null : Encoding.UTF8.GetString(message.Attributes.Label));
    }

    public static RouteEntry DecodeRoute(ReadOnlySpan<byte> payload)
    {
        if (!RouteMessage.TryRead(payload, out RouteMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "route message");
        ref readonly rtmsg header = ref message.Header;
        ref readonly RouteAttributes a = ref message.Attributes;
        return new RouteEntry
        {
            Family = header.rtm_family == AF.AF_INET6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork,
            Destination = a.Destination.IsEmpty ? null : ToAddress(a.Destination, "route destination"),
            DestinationPrefixLength = header.rtm_dst_len,
            Gateway = a.Gateway.IsEmpty ? null : ToAddress(a.Gateway, "route gateway"),
            PreferredSource = a.PreferredSource.IsEmpty ? null : ToAddress(a.PreferredSource, "route source"),
            OutputInterfaceIndex = a.OutputInterface,
            Scope = (RouteScope)header.rtm_scope,
            Table = a.Table ?? header.rtm_table,
            Protocol = (RouteProtocol)header.rtm_protocol,
            Metric = a.Priority,
            Type = header.rtm_type,
        };
    }

    public static FibRule DecodeRule(ReadOnlySpan<byte> payload)
    {
        if (!FibRuleMessage.TryRead(payload, out FibRuleMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "rule message");
        ref readonly fib_rule_hdr header = ref message.Header;
        ref readonly FibRuleAttributes a = ref message.Attributes;
        return new FibRule
        {
            Family = header.family == AF.AF_INET6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork,
            Priority = a.Priority,
            FwMark = a.FwMark,
            FwMask = a.FwMask,
            Table = a.Table ?? header.table,
            Action = header.action,
        };
    }

    public static NeighborEntry DecodeNeighbor(ReadOnlySpan<byte> payload)
    {
        if (!NeighborMessage.TryRead(payload, out NeighborMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "neighbour message");
        return new NeighborEntry(
            message.Header.ndm_ifindex,
            ToAddress(message.Attributes.Destination, "neighbour address"),
            message.Attributes.LinkLayerAddress.IsEmpty ? null : new PhysicalAddress(message.Attributes.LinkLayerAddress.ToArray()),
            (NeighborState)message.Header.ndm_state);
    }

    private static IPAddress ToAddress(ReadOnlySpan<byte> bytes, string context)
    {
        if (bytes.Length is not (4 or 16))
            NetlinkDecodeException.Throw(NetlinkDecodeError.BadAttributeLength, context);
        return new IPAddress(bytes);
    }
}
