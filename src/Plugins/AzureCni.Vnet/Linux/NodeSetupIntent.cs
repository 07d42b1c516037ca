using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Linux;

/// <summary>A bridge setup's record (<see cref="NodeSetupRecord"/>) to and from the kernel's addresses and routes.</summary>
internal static class NodeSetupIntent
{
    public static NodeSetupRecord Record(string bridge, LinkInfo master, IReadOnlyList<AddressInfo> addresses, IReadOnlyList<RouteEntry> routes) => new()
    {
        Bridge = bridge,
        Master = master.Name,
        MasterMac = LinuxContext.Mac(master.MacAddress),
        Addresses = addresses.ConvertAll(a => new SavedAddress { Address = $"{a.Address}/{a.PrefixLength.ToString(CultureInfo.InvariantCulture)}", Scope = (byte)a.Scope }),
        Routes = routes.ConvertAll(r => new SavedRoute
        {
            Destination = r.Destination is null ? "" : $"{r.Destination}/{r.DestinationPrefixLength.ToString(CultureInfo.InvariantCulture)}",
            Family = (byte)(r.Family == AddressFamily.InterNetworkV6 ? 6 : 4),
            Gateway = r.Gateway?.ToString(),
            PreferredSource = r.PreferredSource?.ToString(),
            Scope = r.Scope is { } scope ? (byte)scope : null,
            Table = r.Table,
            Protocol = (byte)r.Protocol,
            Metric = r.Metric,
        }),
    };

    public static List<AddressInfo> Addresses(NodeSetupRecord record, int index)
    {
        var list = new List<AddressInfo>(record.Addresses.Count);
        foreach (SavedAddress saved in record.Addresses)
        {
            if (IPNetworkAddress.TryParse(saved.Address, out var address))
                list.Add(new AddressInfo(index, address.Address, address.PrefixLength, (RouteScope)saved.Scope, null));
        }

        return list;
    }

    public static List<RouteEntry> Routes(NodeSetupRecord record, int index)
    {
        var list = new List<RouteEntry>(record.Routes.Count);
        foreach (SavedRoute saved in record.Routes)
        {
            IPNetworkAddress destination = default;
            if (saved.Destination.Length > 0 && !IPNetworkAddress.TryParse(saved.Destination, out destination))
                continue;
            list.Add(new RouteEntry
            {
                Destination = saved.Destination.Length > 0 ? destination.Address : null,
                DestinationPrefixLength = saved.Destination.Length > 0 ? destination.PrefixLength : 0,
                Family = saved.Family == 6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                Gateway = saved.Gateway is { } gateway ? IPAddress.Parse(gateway) : null,
                PreferredSource = saved.PreferredSource is { } source ? IPAddress.Parse(source) : null,
                Scope = saved.Scope is { } scope ? (RouteScope)scope : null,
                Table = saved.Table,
                Protocol = (RouteProtocol)saved.Protocol,
                Metric = saved.Metric,
                OutputInterfaceIndex = index,
            });
        }

        return list;
    }
}
