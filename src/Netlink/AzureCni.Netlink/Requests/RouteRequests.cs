using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*ROUTE requests.</summary>
internal static class RouteRequests
{
    /// <summary>RTM_NEWROUTE (add/replace) or RTM_DELROUTE for <paramref name="route"/>, laid out as iproute2 does.</summary>
    public static void Modify(ref NetlinkWriter writer, ushort messageType, ushort flags, RouteEntry route)
    {
        byte family = RequestFlags.FamilyOf(route.Family);
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
        if (delete)
        {
            // For a delete, RT_SCOPE_NOWHERE and protocol/type 0 match any route with the given keys.
            header.rtm_scope = (byte)(route.Scope ?? RouteScope.Nowhere);
        }
        else
        {
            header.rtm_protocol = (byte)route.Protocol;
            header.rtm_scope = (byte)(route.Scope ?? (route.Gateway is null ? RouteScope.Link : RouteScope.Universe));
            header.rtm_type = RTN.RTN_UNICAST;
        }

        Span<byte> destination = stackalloc byte[16], gateway = stackalloc byte[16], source = stackalloc byte[16];
        writer.BeginMessage(messageType, flags);
        scoped var message = new RouteMessage { Header = header };
        message.Attributes.Destination = RequestFlags.AddressBytes(route.Destination, destination);
        message.Attributes.Gateway = RequestFlags.AddressBytes(route.Gateway, gateway);
        message.Attributes.PreferredSource = RequestFlags.AddressBytes(route.PreferredSource, source);
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
