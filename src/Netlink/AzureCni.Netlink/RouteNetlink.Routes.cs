using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>Adds a route; fails with EEXIST when an equal route exists.</summary>
    /// <remarks>Equivalent to: <c>ip route add DEST/LEN|default [via GW] [dev NAME] [scope S] [table T] [proto P] [metric M] [src IP]</c>.</remarks>
    public void AddRoute(RouteEntry route) => ModifyRoute(RTM.RTM_NEWROUTE, RequestFlags.Create, route, "add route");

    /// <summary>Adds a route or replaces the one with the same destination, table and metric.</summary>
    /// <remarks>Equivalent to: <c>ip route replace ...</c>.</remarks>
    public void ReplaceRoute(RouteEntry route) => ModifyRoute(RTM.RTM_NEWROUTE, RequestFlags.Replace, route, "replace route");

    /// <summary>Deletes a route; with <paramref name="missingOk"/> a route that is not there is success.</summary>
    /// <returns>True when a route was deleted.</returns>
    /// <remarks>Equivalent to: <c>ip route del DEST/LEN|default [via GW] [dev NAME] [table T] [metric M]</c>.</remarks>
    public bool DeleteRoute(RouteEntry route, bool missingOk = false)
    {
        try
        {
            ModifyRoute(RTM.RTM_DELROUTE, RequestFlags.Acknowledged, route, "delete route");
            return true;
        }
        catch (NetlinkException e) when (missingOk && e.Errno == ERRNO.ESRCH)
        {
            return false;
        }
    }

    /// <summary>Lists the routes of one family, of one table (0 = every table).</summary>
    /// <remarks>Equivalent to: <c>ip [-4|-6] route show table T</c> (<c>table all</c> for 0).</remarks>
    public IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family, uint table = 254)
    {
        byte af = AddressEncoding.FamilyOf(family);
        if (af == AF.AF_UNSPEC)
            throw new ArgumentOutOfRangeException(nameof(family), family, "List IPv4 or IPv6 routes.");
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        RouteRequests.Dump(ref writer, af);
        List<RouteEntry> routes = Dump(buffer[..writer.Length], new NetlinkOperation("list routes"), RTM.RTM_NEWROUTE, ReplyDecoder.DecodeRoute);
        if (table != 0)
            routes.RemoveAll(r => r.Table != table);
        return routes;
    }

    private void ModifyRoute(ushort messageType, ushort flags, RouteEntry route, string action)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        RouteRequests.Modify(ref writer, messageType, flags, route);
        Execute(ref writer, buffer, new NetlinkOperation(action, route.Destination is null ? "default" : route.Destination.ToString() + "/" + route.DestinationPrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
