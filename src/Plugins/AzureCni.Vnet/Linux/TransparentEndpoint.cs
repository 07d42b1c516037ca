using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Cni.Types;
using AzureCni.Netlink;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// Transparent mode: the pod is routed, not bridged. All its traffic, same-subnet included, goes through the host
/// via a virtual gateway (169.254.1.1, answered by the host end's fixed MAC); the host reaches the pod by a /32 route.
/// </summary>
internal static class TransparentEndpoint
{
    public static readonly IPAddress VirtualGateway = IPAddress.Parse("169.254.1.1");

    /// <summary>The host end's fixed MAC, so the pod's neighbour entry never goes stale (upstream #1524).</summary>
    public static readonly PhysicalAddress HostMac = PhysicalAddress.Parse("aa-aa-aa-aa-aa-aa");

    public static void AddHostSide(RouteNetlink host, LinkInfo hostLink, IReadOnlyList<IPNetworkAddress> addresses, UndoStack undo, FailurePoints fail)
    {
        BridgeNode.TrySysctl(() => Sysctl.SetAcceptRouterAdvertisements(hostLink.Name, 0));
        fail.At("host-routes");
        foreach (var address in addresses)
        {
            var route = HostRoute(address.Address, hostLink.Index);
            host.AddRoute(route);
            undo.Push("host route " + address.Address, () => host.DeleteRoute(route, missingOk: true));
        }

        Sysctl.SetProxyArp(hostLink.Name, true);
    }

    public static void AddContainerSide(RouteNetlink inside, LinkInfo link, IReadOnlyList<IPNetworkAddress> addresses, FailurePoints fail)
    {
        fail.At("container-address");
        foreach (var address in addresses)
        {
            bool v4 = address.Address.AddressFamily == AddressFamily.InterNetwork;
            inside.AddAddress(link.Index, address.Address, address.PrefixLength, noDad: !v4);
            if (v4)
            {
                // Without the subnet route every destination, neighbours included, goes through the host.
                var network = address.Network;
                inside.DeleteRoute(new RouteEntry
                {
                    Destination = network.BaseAddress,
                    DestinationPrefixLength = network.PrefixLength,
                    OutputInterfaceIndex = link.Index,
                    Protocol = RouteProtocol.Kernel,
                    Scope = RouteScope.Link,
                }, missingOk: true);
            }
        }

        fail.At("container-routes");
        inside.AddRoute(new RouteEntry
        {
            Destination = VirtualGateway,
            DestinationPrefixLength = 32,
            OutputInterfaceIndex = link.Index,
            Scope = RouteScope.Link,
            Protocol = RouteProtocol.Static,
        });
        inside.AddRoute(DefaultRoute(link.Index));
        inside.ReplaceNeighbor(link.Index, VirtualGateway, HostMac, NeighborState.Permanent);
    }

    public static RouteEntry HostRoute(IPAddress address, int hostIndex) => new()
    {
        Destination = address,
        DestinationPrefixLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128,
        OutputInterfaceIndex = hostIndex,
        Scope = RouteScope.Link,
        Protocol = RouteProtocol.Static,
    };

    public static RouteEntry DefaultRoute(int index) => new()
    {
        Destination = null,
        Gateway = VirtualGateway,
        OutputInterfaceIndex = index,
        Protocol = RouteProtocol.Static,
        Family = AddressFamily.InterNetwork,
    };
}
