using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.Linux.Rules;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// Bridge mode: the pod's host end is a port of the node's bridge (the master NIC its other port, set up once by
/// <see cref="BridgeNode"/>); the pod's own addresses and the IPAM's gateway; its frames rewritten by L2 rules.
/// </summary>
internal sealed class BridgeEndpoint(LinuxContext context) : IEndpointMode
{
    public VnetMode Mode => VnetMode.Bridge;

    public string Name => EndpointModes.BridgeName;

    public PhysicalAddress? HostMac => null;

    public bool HasRules => true;

    public LinkInfo? SetUpNode(IRouteNetlinkOps host, LinkInfo master, string? bridgeName, bool holdsSetupLock) =>
        BridgeNode.Ensure(context, host, master, bridgeName ?? HostNames.DefaultBridge(master.Index), holdsSetupLock);

    public (IPAddress? Gateway, List<CniRoute> Routes) Attach(NewEndpoint endpoint, CniResult ipamResult, UndoStack undo)
    {
        var (host, inside, bridge) = (endpoint.Host, endpoint.Inside, endpoint.Bridge!);
        host.SetBridgePortHairpin(endpoint.HostLink.Index, true);
        context.Kernel.TrySetAcceptRouterAdvertisements(endpoint.HostLink.Name, 0);

        context.Fail.At("container-address");
        foreach (var address in endpoint.Addresses)
            inside.AddAddress(endpoint.ContainerLink.Index, address.Address, address.PrefixLength, noDad: address.Address.AddressFamily == AddressFamily.InterNetworkV6);

        context.Fail.At("container-routes");
        var routes = new List<CniRoute>(ipamResult.Routes);
        IPAddress? gateway = ipamResult.Ips.Find(ip => ip.Gateway is not null)?.Gateway;

        // A default route per family the IPAM gave a gateway for (its first) and no route of.
        foreach (var ip in ipamResult.Ips)
        {
            if (ip.Gateway is not { } familyGateway)
                continue;
            var family = familyGateway.AddressFamily;
            if (!routes.Exists(r => r.Destination.BaseAddress.AddressFamily == family))
                routes.Add(new CniRoute { Destination = new IPNetwork(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), Gateway = familyGateway });
        }
        foreach (var route in routes)
            AddContainerRoute(inside, route, endpoint.ContainerLink.Index);

        context.Fail.At("bridge-neighbor");
        foreach (var address in endpoint.Addresses)
        {
            host.ReplaceNeighbor(bridge.Index, address.Address, endpoint.ContainerMac, NeighborState.Permanent);
            undo.Push("neighbour " + address.Address, () => host.DeleteNeighbor(bridge.Index, address.Address, missingOk: true));
        }

        context.Fail.At("container-rules");
        using (var rules = context.Kernel.OpenRules())
            rules.ApplyBridgeContainer(endpoint.Tag, endpoint.Master.Name, endpoint.ContainerMac.GetAddressBytes(), endpoint.Addresses.ConvertAll(a => a.Address));

        undo.Push("container rules", () => context.DeleteRules(endpoint.Tag));
        ViaHostRoutes.Ensure(context, endpoint.Key, endpoint.ViaHost, bridge.MacAddress ?? endpoint.Master.MacAddress!, undo);
        return (gateway, routes);
    }

    public void Detach(IRouteNetlinkOps host, EndpointRecord record, LinkInfo? hostLink, IReadOnlyList<IPNetworkAddress> addresses)
    {
        if (record.Bridge.Length > 0 && host.TryGetLink(record.Bridge, out var bridge))
        {
            foreach (var address in addresses)
                host.DeleteNeighbor(bridge.Index, address.Address, missingOk: true);
        }

        DeleteUpstreamRules(record, addresses);
        ViaHostRoutes.Release(context, EndpointKey.Of(record), ViaHostRoutes.Of(record));
    }

    /// <summary>A pod upstream Azure CNI made has its ebtables rules instead of ours; they go with it (none is success).</summary>
    private void DeleteUpstreamRules(EndpointRecord record, IReadOnlyList<IPNetworkAddress> addresses)
    {
        if (!TryParseMac(record.Mac, out var mac) || addresses.Count == 0)
            return;

        var ips = addresses.ConvertAll(a => a.Address);
        using var rules = context.Kernel.OpenRules();
        int removed = rules.DeleteUpstreamRules(rule => UpstreamPodRules.IsOf(rule, mac, ips));
        if (removed > 0)
            context.Log.Information("removed {Count} ebtables rules upstream Azure CNI made for {Addresses} ({Mac})", [removed, string.Join(", ", ips), record.Mac]);
    }

    /// <summary>
    /// The bridge port, the bridge's neighbour entries, the layer-2 rules: ours (tagged), or for a pod upstream Azure
    /// CNI made, upstream's ebtables rules, complete (its neighbour entries are IPv4 only, as upstream made them).
    /// </summary>
    public void Check(CheckedEndpoint endpoint)
    {
        var record = endpoint.Record;
        if (!endpoint.Host.TryGetLink(record.Bridge, out var bridge) || endpoint.HostLink.MasterIndex != bridge.Index)
            throw LinuxContext.Missing($"host interface {record.HostIfName} is not a port of bridge {record.Bridge}");

        var mac = PhysicalAddress.Parse(record.Mac.Replace(':', '-'));
        var ips = endpoint.Addresses.ConvertAll(a => a.Address);
        string tag = RuleTag.Attachment(record.ContainerId, record.IfName);
        using var rules = context.Kernel.OpenRules();
        bool ours = rules.HasBridgeContainer(tag, record.Master, mac.GetAddressBytes(), ips);
        IReadOnlyList<EbtablesRule>? upstreamRules = ours ? null : rules.ListUpstreamRules();
        bool upstream = upstreamRules is not null && upstreamRules.Exists(rule => UpstreamPodRules.IsOf(rule, mac, ips));

        foreach (var address in endpoint.Addresses)
        {
            if (upstream && address.Address.AddressFamily != AddressFamily.InterNetwork)
                continue;
            if (!endpoint.Host.ListNeighbors(bridge.Index, address.Address.AddressFamily)
                    .Exists(n => address.Address.Equals(n.Address) && mac.Equals(n.MacAddress) && n.State == NeighborState.Permanent))
            {
                throw LinuxContext.Missing($"neighbour {address.Address} lladdr {record.Mac} dev {record.Bridge} missing");
            }
        }

        if (!ours && !upstream)
            throw LinuxContext.Missing($"layer-2 rules {tag} for {string.Join(", ", endpoint.Addresses)} missing");
        if (upstream && UpstreamPodRules.Missing(upstreamRules!, record.Master, mac, ips) is { Count: > 0 } missing)
            throw LinuxContext.Missing($"upstream Azure CNI's ebtables rules of {string.Join(", ", ips)} incomplete, missing: {string.Join("; ", missing)}");
        ViaHostRoutes.Check(context, record);
    }

    private static bool TryParseMac(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PhysicalAddress? mac) =>
        PhysicalAddress.TryParse(text.Replace(':', '-'), out mac) && mac.GetAddressBytes().Length == 6;

    private static void AddContainerRoute(IRouteNetlinkOps inside, CniRoute route, int index)
    {
        try
        {
            inside.AddRoute(new RouteEntry
            {
                Destination = route.Destination.PrefixLength == 0 ? null : route.Destination.BaseAddress,
                DestinationPrefixLength = route.Destination.PrefixLength,
                Gateway = route.Gateway,
                OutputInterfaceIndex = index,
                Protocol = RouteProtocol.Static,
                Family = route.Destination.BaseAddress.AddressFamily,
            });
        }
        catch (NetlinkException e) when (e.IsAlreadyExists)
        {
        }
    }
}
