using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// Transparent mode: the pod is routed, not bridged. All its traffic, same-subnet included, goes through the host
/// via a virtual gateway (169.254.1.1, answered by the host end's fixed MAC); the host reaches the pod by a /32 route.
/// </summary>
internal sealed class TransparentEndpoint(LinuxContext context) : IEndpointMode
{
    public static readonly IPAddress VirtualGateway = IPAddress.Parse("169.254.1.1");

    /// <summary>The host end's fixed MAC, so the pod's neighbour entry never goes stale (upstream #1524).</summary>
    public static readonly PhysicalAddress FixedHostMac = PhysicalAddress.Parse("aa-aa-aa-aa-aa-aa");

    public VnetMode Mode => VnetMode.Transparent;

    public string Name => EndpointModes.TransparentName;

    public PhysicalAddress? HostMac => FixedHostMac;

    public bool HasRules => false;

    public LinkInfo? SetUpNode(IRouteNetlinkOps host, LinkInfo master, string? bridgeName, bool holdsSetupLock) => null;

    public (IPAddress? Gateway, List<CniRoute> Routes) Attach(NewEndpoint endpoint, CniResult ipamResult, UndoStack undo)
    {
        AddHostSide(endpoint.Host, endpoint.HostLink, endpoint.Addresses, undo);
        AddContainerSide(endpoint.Inside, endpoint.ContainerLink, endpoint.Addresses);
        return (VirtualGateway, [new CniRoute { Destination = new IPNetwork(IPAddress.Any, 0), Gateway = VirtualGateway }]);
    }

    public void Detach(IRouteNetlinkOps host, EndpointRecord record, LinkInfo? hostLink, IReadOnlyList<IPNetworkAddress> addresses)
    {
        if (hostLink is null)
            return;
        foreach (var address in addresses)
            host.DeleteRoute(HostRoute(address.Address, hostLink.Index), missingOk: true);
    }

    public void Check(CheckedEndpoint endpoint)
    {
        var link = endpoint.ContainerLink;
        if (!endpoint.ContainerRoutes.Any(r => r.OutputInterfaceIndex == link.Index && r.Gateway is null
                && VirtualGateway.Equals(r.Destination) && r.DestinationPrefixLength == 32))
        {
            throw LinuxContext.Missing($"container route {VirtualGateway}/32 dev {link.Name} missing");
        }

        var hostRoutes = endpoint.Host.ListRoutes(AddressFamily.InterNetwork).Concat(endpoint.Host.ListRoutes(AddressFamily.InterNetworkV6)).ToList();
        foreach (var address in endpoint.Addresses)
        {
            int length = address.Address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (!hostRoutes.Any(r => address.Address.Equals(r.Destination) && r.DestinationPrefixLength == length && r.OutputInterfaceIndex == endpoint.HostLink.Index))
            {
                throw LinuxContext.Missing(
                    $"host route {address.Address}/{length.ToString(CultureInfo.InvariantCulture)} via {endpoint.Record.HostIfName} missing");
            }
        }
    }

    private void AddHostSide(IRouteNetlinkOps host, LinkInfo hostLink, IReadOnlyList<IPNetworkAddress> addresses, UndoStack undo)
    {
        context.Kernel.TrySetAcceptRouterAdvertisements(hostLink.Name, 0);
        context.Fail.At("host-routes");
        foreach (var address in addresses)
        {
            var route = HostRoute(address.Address, hostLink.Index);
            host.AddRoute(route);
            undo.Push("host route " + address.Address, () => host.DeleteRoute(route, missingOk: true));
        }

        context.Kernel.SetProxyArp(hostLink.Name, true);
    }

    private void AddContainerSide(IRouteNetlinkOps inside, LinkInfo link, IReadOnlyList<IPNetworkAddress> addresses)
    {
        context.Fail.At("container-address");
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

        context.Fail.At("container-routes");
        inside.AddRoute(new RouteEntry
        {
            Destination = VirtualGateway,
            DestinationPrefixLength = 32,
            OutputInterfaceIndex = link.Index,
            Scope = RouteScope.Link,
            Protocol = RouteProtocol.Static,
        });
        inside.AddRoute(DefaultRoute(link.Index));
        inside.ReplaceNeighbor(link.Index, VirtualGateway, FixedHostMac, NeighborState.Permanent);
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
