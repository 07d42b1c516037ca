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
/// IPv6 the same way with upstream's link-local gateway and no neighbour discovery on the veth at all: the pod has a
/// permanent entry for its gateway, the host one for the pod's address (the host end's own link-local address is
/// still tentative, and could not solicit, for a second or more after it goes up).
/// </summary>
internal sealed class TransparentEndpoint(LinuxContext context) : IEndpointMode
{
    public static readonly IPAddress VirtualGateway = IPAddress.Parse("169.254.1.1");

    /// <summary>The pod's IPv6 gateway, upstream's: a link-local address only the pod's neighbour entry resolves.</summary>
    public static readonly IPAddress VirtualGatewayV6 = IPAddress.Parse("fe80::1234:5678:9abc");

    /// <summary>The host end's fixed MAC, so the pod's neighbour entry never goes stale (upstream #1524).</summary>
    public static readonly PhysicalAddress FixedHostMac = PhysicalAddress.Parse("aa-aa-aa-aa-aa-aa");

    public VnetMode Mode => VnetMode.Transparent;

    public string Name => EndpointModes.TransparentName;

    public PhysicalAddress? HostMac => FixedHostMac;

    public bool HasRules => false;

    public LinkInfo? SetUpNode(IRouteNetlinkOps host, LinkInfo master, string? bridgeName, bool holdsSetupLock) => null;

    public (IPAddress? Gateway, List<CniRoute> Routes) Attach(NewEndpoint endpoint, CniResult ipamResult, UndoStack undo)
    {
        AddHostSide(endpoint, undo);
        AddContainerSide(endpoint.Inside, endpoint.ContainerLink, endpoint.Addresses);
        List<CniRoute> routes = [new CniRoute { Destination = new IPNetwork(IPAddress.Any, 0), Gateway = VirtualGateway }];
        if (IPNetworkAddress.AnyIPv6(endpoint.Addresses))
            routes.Add(new CniRoute { Destination = new IPNetwork(IPAddress.IPv6Any, 0), Gateway = VirtualGatewayV6 });
        return (VirtualGateway, routes);
    }

    public void Detach(IRouteNetlinkOps host, EndpointRecord record, LinkInfo? hostLink, IReadOnlyList<IPNetworkAddress> addresses)
    {
        if (hostLink is null)
            return;
        foreach (var address in addresses)
        {
            host.DeleteRoute(HostRoute(address.Address, hostLink.Index), missingOk: true);
            if (address.Address.AddressFamily == AddressFamily.InterNetworkV6)
                host.DeleteNeighbor(hostLink.Index, address.Address, missingOk: true);
        }
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

        if (IPNetworkAddress.AnyIPv6(endpoint.Addresses))
            CheckIPv6(endpoint);
    }

    private void CheckIPv6(CheckedEndpoint endpoint)
    {
        var link = endpoint.ContainerLink;
        if (!endpoint.ContainerRoutes.Any(r => r.OutputInterfaceIndex == link.Index && r.Gateway is null
                && VirtualGatewayV6.Equals(r.Destination) && r.DestinationPrefixLength == 128))
        {
            throw LinuxContext.Missing($"container route {VirtualGatewayV6}/128 dev {link.Name} missing");
        }

        if (!endpoint.ContainerRoutes.Any(r => r.Destination is null && r.Family == AddressFamily.InterNetworkV6
                && VirtualGatewayV6.Equals(r.Gateway) && r.OutputInterfaceIndex == link.Index))
        {
            throw LinuxContext.Missing($"container default route via {VirtualGatewayV6} dev {link.Name} missing");
        }

        if (!endpoint.Inside.ListNeighbors(link.Index, AddressFamily.InterNetworkV6)
                .Any(n => VirtualGatewayV6.Equals(n.Address) && FixedHostMac.Equals(n.MacAddress) && n.State == NeighborState.Permanent))
        {
            throw LinuxContext.Missing($"container neighbour {VirtualGatewayV6} lladdr {LinuxContext.Mac(FixedHostMac)} dev {link.Name} missing");
        }

        var hostNeighbors = endpoint.Host.ListNeighbors(endpoint.HostLink.Index, AddressFamily.InterNetworkV6);
        var containerMac = PhysicalAddress.Parse(endpoint.Record.Mac.Replace(':', '-'));
        foreach (var address in endpoint.Addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6))
        {
            if (!hostNeighbors.Any(n => address.Address.Equals(n.Address) && containerMac.Equals(n.MacAddress) && n.State == NeighborState.Permanent))
                throw LinuxContext.Missing($"host neighbour {address.Address} lladdr {endpoint.Record.Mac} dev {endpoint.Record.HostIfName} missing");
        }

        if (!context.Kernel.IsIPv6ForwardingEnabled())
            throw LinuxContext.Missing("net.ipv6.conf.all.forwarding is 0 on the node");
    }

    private void AddHostSide(NewEndpoint endpoint, UndoStack undo)
    {
        var (host, hostLink) = (endpoint.Host, endpoint.HostLink);
        context.Kernel.TrySetAcceptRouterAdvertisements(hostLink.Name, 0);
        context.Fail.At("host-routes");
        foreach (var address in endpoint.Addresses)
        {
            var route = HostRoute(address.Address, hostLink.Index);
            host.AddRoute(route);
            undo.Push("host route " + address.Address, () => host.DeleteRoute(route, missingOk: true));
            if (address.Address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                host.ReplaceNeighbor(hostLink.Index, address.Address, endpoint.ContainerMac, NeighborState.Permanent);
                undo.Push("host neighbour " + address.Address, () => host.DeleteNeighbor(hostLink.Index, address.Address, missingOk: true));
            }
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

            // Without the subnet route every destination, neighbours included, goes through the host.
            var network = address.Network;
            inside.DeleteRoute(new RouteEntry
            {
                Destination = network.BaseAddress,
                DestinationPrefixLength = network.PrefixLength,
                OutputInterfaceIndex = link.Index,
                Protocol = RouteProtocol.Kernel,
                Scope = v4 ? RouteScope.Link : null,
            }, missingOk: true);
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
        inside.AddRoute(DefaultRoute(link.Index, VirtualGateway));
        inside.ReplaceNeighbor(link.Index, VirtualGateway, FixedHostMac, NeighborState.Permanent);
        if (!IPNetworkAddress.AnyIPv6(addresses))
            return;

        // ip -6 route add fe80::1234:5678:9abc/128 dev eth0; ip -6 route add default via fe80::1234:5678:9abc dev eth0
        inside.AddRoute(new RouteEntry
        {
            Destination = VirtualGatewayV6,
            DestinationPrefixLength = 128,
            OutputInterfaceIndex = link.Index,
            Scope = RouteScope.Link,
            Protocol = RouteProtocol.Static,
        });
        inside.AddRoute(DefaultRoute(link.Index, VirtualGatewayV6));
        inside.ReplaceNeighbor(link.Index, VirtualGatewayV6, FixedHostMac, NeighborState.Permanent);
    }

    public static RouteEntry HostRoute(IPAddress address, int hostIndex) => new()
    {
        Destination = address,
        DestinationPrefixLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128,
        OutputInterfaceIndex = hostIndex,
        Scope = RouteScope.Link,
        Protocol = RouteProtocol.Static,
    };

    private static RouteEntry DefaultRoute(int index, IPAddress gateway) => new()
    {
        Destination = null,
        Gateway = gateway,
        OutputInterfaceIndex = index,
        Protocol = RouteProtocol.Static,
        Family = gateway.AddressFamily,
    };
}
