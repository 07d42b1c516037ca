using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*ROUTE requests.</summary>
internal static class RouteRequests
{
    /// <summary>RTM_NEWROUTE (add/replace) or RTM_DELROUTE for <paramref name="route"/>, laid out as iproute2 does.</summary>
    public static void Modify(ref NetlinkWriter writer, ushort messageType, ushort flags, RouteEntry route)
    {
        byte family = AddressEncoding.FamilyOf(route.Family);
        if (family == AF.AF_UNSPEC)
            throw new ArgumentException("A route needs a destination, a gateway or an explicit IPv4/IPv6 family.", nameof(route));
        int maxPrefix = family == AF.AF_INET6 ? 128 : 32;
        if ((uint)route.DestinationPrefixLength > (uint)maxPrefix || (route.Destination is null && route.DestinationPrefixLength != 0))
            throw new ArgumentOutOfRangeException(nameof(route), route.DestinationPrefixLength, $"Destination prefix length must be 0-{maxPrefix} (0 for the default route).");

        bool delete = messageType == RTM.RTM_DELROUTE;
        var header = new rtmsg
        {
            rtm_family = family,
            rtm_dst_len = (byte)route.DestinationPrefixLength,
            // Tables above 255 only fit RTA_TABLE.
            rtm_table = route.Table < 256 ? (byte)route.Table : RT_TABLE.RT_TABLE_UNSPEC,
        };
        // Default scope as iproute2 picks it: IPv6 routes are universe; an IPv4 delete uses RT_SCOPE_NOWHERE,
        // which with protocol and type 0 matches any route with the given keys; an IPv4 route without a
        // gateway is link scope.
        RouteScope scope = route.Scope ?? (family == AF.AF_INET6 ? RouteScope.Universe
            : delete ? RouteScope.Nowhere
            : route.Gateway is null ? RouteScope.Link : RouteScope.Universe);
        header.rtm_scope = (byte)scope;
        if (!delete)
        {
            header.rtm_protocol = (byte)route.Protocol;
            header.rtm_type = RTN.RTN_UNICAST;
        }

        Span<byte> destination = stackalloc byte[16], gateway = stackalloc byte[16], source = stackalloc byte[16];
        writer.BeginMessage(messageType, flags);
        scoped var message = new RouteMessage { Header = header };
        message.Attributes.Destination = AddressEncoding.Bytes(route.Destination, destination);
        message.Attributes.Gateway = AddressEncoding.Bytes(route.Gateway, gateway);
        message.Attributes.PreferredSource = AddressEncoding.Bytes(route.PreferredSource, source);
        message.Attributes.OutputInterface = route.OutputInterfaceIndex;
        message.Attributes.Priority = route.Metric;
        message.Attributes.Table = route.Table < 256 ? null : route.Table;
        RouteMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_GETROUTE dump of one family.</summary>
    public static void Dump(ref NetlinkWriter writer, byte family)
    {
        writer.BeginMessage(RTM.RTM_GETROUTE, RequestFlags.Dump);
        writer.WriteStruct(new rtmsg { rtm_family = family });
        writer.EndMessage();
    }
}
