using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// How a pod is connected to the node: <see cref="TransparentEndpoint"/> (routed) or <see cref="BridgeEndpoint"/>
/// (bridged). A new mode is a new implementation; the data path around it stays as it is.
/// </summary>
internal interface IEndpointMode
{
    VnetMode Mode { get; }

    /// <summary>The name the state file records the mode under.</summary>
    string Name { get; }

    /// <summary>The host end's MAC, when the mode fixes one.</summary>
    PhysicalAddress? HostMac { get; }

    /// <summary>The node-wide part, before the pod's veth exists: none, or the bridge with the master as its port.</summary>
    LinkInfo? SetUpNode(IRouteNetlinkOps host, LinkInfo master, string? bridgeName, bool holdsSetupLock);

    /// <summary>Addresses, routes, neighbours and rules of a pod whose veth is up; each registers its undo.</summary>
    (IPAddress? Gateway, List<CniRoute> Routes) Attach(NewEndpoint endpoint, CniResult ipamResult, UndoStack undo);

    /// <summary>The mode's host-side objects of an attachment (the veth itself is the caller's); each already gone is success.</summary>
    void Detach(IRouteNetlinkOps host, EndpointRecord record, LinkInfo? hostLink, IReadOnlyList<IPNetworkAddress> addresses);

    /// <summary>CHECK of the mode's own objects; throws naming the first one missing.</summary>
    void Check(CheckedEndpoint endpoint);

    /// <summary>True when every attachment of the mode has tagged rules (DEL then removes them even without port mappings).</summary>
    bool HasRules { get; }
}

/// <summary>An attachment being added, its veth created and up.</summary>
internal sealed record NewEndpoint(
    IRouteNetlinkOps Host, IRouteNetlinkOps Inside, LinkInfo Master, LinkInfo? Bridge, LinkInfo HostLink, LinkInfo ContainerLink)
{
    public required PhysicalAddress ContainerMac { get; init; }

    public required List<IPNetworkAddress> Addresses { get; init; }

    public required string Tag { get; init; }

    public required EndpointKey Key { get; init; }

    /// <summary>The config's <c>ipsToRouteViaHost</c> when the mode uses them (bridge), else empty.</summary>
    public IReadOnlyList<IPAddress> ViaHost { get; init; } = [];
}

/// <summary>An attachment being checked, both ends of its veth found.</summary>
internal sealed record CheckedEndpoint(IRouteNetlinkOps Host, EndpointRecord Record, LinkInfo HostLink, LinkInfo ContainerLink, IReadOnlyList<RouteEntry> ContainerRoutes)
{
    public required IRouteNetlinkOps Inside { get; init; }

    public required List<IPNetworkAddress> Addresses { get; init; }
}

internal static class EndpointModes
{
    public const string TransparentName = "transparent";
    public const string BridgeName = "bridge";
    public const string TransparentTunnelName = "transparent-tunnel";

    public static IEndpointMode For(VnetMode mode, LinuxContext context) => mode switch
    {
        VnetMode.Transparent => new TransparentEndpoint(context),
        VnetMode.TransparentTunnel => new TransparentTunnelEndpoint(context),
        _ => new BridgeEndpoint(context),
    };

    /// <summary>The mode a state entry or network record names.</summary>
    public static VnetMode Parse(string name) => name switch
    {
        TransparentName => VnetMode.Transparent,
        TransparentTunnelName => VnetMode.TransparentTunnel,
        _ => VnetMode.Bridge,
    };
}
