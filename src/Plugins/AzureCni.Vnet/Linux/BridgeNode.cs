using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Netlink;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// The one-time node setup of a bridge network: the master NIC's addresses and routes move to the bridge, the master
/// becomes its port, and the node-wide L2 rules are installed. It is a transaction of its own: a failure at any
/// step puts the node back exactly as it was, because a node must never lose its connectivity to a CNI call.
/// </summary>
internal static class BridgeNode
{
    /// <summary>Steps a test can fail at (AZURE_CNI_FAIL_AT), in order.</summary>
    public static readonly string[] Steps =
        ["bridge-create", "bridge-up", "master-addresses", "bridge-addresses", "enslave-master", "bridge-routes", "node-rules", "node-done"];

    /// <summary>The bridge with <paramref name="master"/> as its port, set up now unless it already is.</summary>
    /// <param name="holdsSetupLock">The caller already holds the network-setup lock (flock would block on a second descriptor).</param>
    public static LinkInfo Ensure(LinuxContext context, IRouteNetlinkOps host, LinkInfo master, string bridgeName, bool holdsSetupLock)
    {
        if (host.TryGetLink(bridgeName, out var bridge) && master.MasterIndex == bridge.Index)
        {
            return bridge;
        }

        // Only one ADD moves the node's addresses; the others wait here and then find it done.
        using var setupLock = holdsSetupLock ? null : context.Store.LockNetworkSetup();
        master = host.GetLink(master.Index);
        if (host.TryGetLink(bridgeName, out bridge) && master.MasterIndex == bridge.Index)
        {
            return bridge;
        }

        if (master.MasterIndex is { } other)
        {
            throw new CniException(CniErrorCode.Runtime,
                $"azure-vnet: master {master.Name} is already a port of interface {other.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not of bridge {bridgeName}");
        }

        if (master.MacAddress is null)
        {
            throw new CniException(CniErrorCode.Runtime, $"azure-vnet: master {master.Name} has no MAC address");
        }

        context.Log.Information("setting up bridge {Bridge} on master {Master}", [bridgeName, master.Name]);
        using (var undo = new UndoStack(context.Log))
        {
            Setup(context, host, master, bridgeName, undo);
            undo.Commit();
        }

        Forget(context, bridgeName);
        context.Log.Information("bridge {Bridge} set up: master {Master} enslaved, its addresses and routes moved", [bridgeName, master.Name]);
        return host.GetLink(bridgeName);
    }

    private static void Setup(LinuxContext context, IRouteNetlinkOps host, LinkInfo master, string bridgeName, UndoStack undo)
    {
        PhysicalAddress masterMac = master.MacAddress!;
        var fail = context.Fail;
        // Global addresses only: link-local ones belong to the link and stay. Secondaries are removed first.
        var addresses = host.ListAddresses(master.Index).FindAll(a => a.Scope == RouteScope.Universe);
        var routes = MovableRoutes(host, master.Index);

        // Recorded before the first change: a kill from here on leaves the next call what it needs to finish the job.
        var intent = NodeSetupIntent.Record(bridgeName, master, addresses, routes);
        context.Store.Update(s =>
        {
            s.NodeSetups.RemoveAll(n => n.Bridge == bridgeName);
            s.NodeSetups.Add(intent);
            return true;
        });
        undo.Push("setup record", () => Forget(context, bridgeName));

        fail.At("bridge-create");
        if (!host.TryGetLink(bridgeName, out var bridge))
        {
            host.AddBridge(bridgeName, master.Mtu);
            undo.Push("create bridge " + bridgeName, () => host.DeleteLink(bridgeName, missingOk: true));
            bridge = host.GetLink(bridgeName);
        }

        // An explicit MAC: a kernel bridge otherwise takes its lowest port's, which changes as veths come and go.
        host.SetLinkMacAddress(bridge.Index, masterMac);
        context.Kernel.TrySetAcceptRouterAdvertisements(bridgeName, 0);

        fail.At("bridge-up");
        bool wasUp = bridge.IsUp;
        host.SetLinkUp(bridge.Index);
        if (!wasUp)
        {
            undo.Push("bridge up", () => host.SetLinkDown(bridge.Index));
        }

        // Pushed before the addresses go, so that it runs after they are back: the kernel drops the routes
        // through an address that disappears, and only re-adding them makes the master whole again.
        undo.Push("master routes", () => AddRoutes(host, routes, master.Index));
        fail.At("master-addresses");
        for (int i = addresses.Count - 1; i >= 0; i--)
        {
            var a = addresses[i];
            host.DeleteAddress(master.Index, a.Address, a.PrefixLength, missingOk: true);
            undo.Push("remove " + a.Address + " from " + master.Name, () => AddAddressIfMissing(host, master.Index, a));
        }

        fail.At("bridge-addresses");
        foreach (var a in addresses)
        {
            AddAddressIfMissing(host, bridge.Index, a);
            undo.Push("add " + a.Address + " to " + bridgeName, () => host.DeleteAddress(bridge.Index, a.Address, a.PrefixLength, missingOk: true));
        }

        fail.At("enslave-master");
        host.SetLinkMaster(master.Index, bridge.Index);
        undo.Push("enslave " + master.Name, () => host.SetLinkNoMaster(master.Index));

        fail.At("bridge-routes");
        foreach (var route in routes)
        {
            var moved = route with { OutputInterfaceIndex = bridge.Index };
            AddRouteIfMissing(host, moved);
            undo.Push("route on bridge", () => host.DeleteRoute(moved, missingOk: true));
        }

        fail.At("node-rules");
        using (var rules = context.Kernel.OpenRules())
            rules.ApplyBridgeNode(master.Name, masterMac.GetAddressBytes());

        undo.Push("node rules", () => context.DeleteRules(RuleTag.Node(master.Name)));
        fail.At("node-done");
    }

    /// <summary>
    /// Finishes every bridge setup a killed process left half-done (<see cref="VnetState.NodeSetups"/> in
    /// <paramref name="state"/>, as the caller read it): each step is done unless it already is, from the addresses and
    /// routes the master had before. Costs nothing on a node without one.
    /// </summary>
    public static void CompleteUnfinished(LinuxContext context, VnetState state)
    {
        if (state.NodeSetups.Count == 0)
            return;

        using var setupLock = context.Store.LockNetworkSetup();
        using var host = context.Kernel.OpenNode();
        foreach (NodeSetupRecord setup in context.Store.Read().NodeSetups)
        {
            context.Log.Warning("completing the setup of bridge {Bridge} on master {Master}, which a killed call left half-done", [setup.Bridge, setup.Master]);
            Complete(context, host, setup);
            Forget(context, setup.Bridge);
        }
    }

    private static void Complete(LinuxContext context, IRouteNetlinkOps host, NodeSetupRecord setup)
    {
        if (!host.TryGetLink(setup.Master, out var master))
            throw new CniException(CniErrorCode.Runtime, $"azure-vnet: cannot finish the setup of bridge {setup.Bridge}: master {setup.Master} is gone");
        if (!host.TryGetLink(setup.Bridge, out var bridge))
        {
            host.AddBridge(setup.Bridge, master.Mtu);
            bridge = host.GetLink(setup.Bridge);
        }

        var masterMac = PhysicalAddress.Parse(setup.MasterMac.Replace(':', '-'));
        if (!masterMac.Equals(bridge.MacAddress))
            host.SetLinkMacAddress(bridge.Index, masterMac);
        context.Kernel.TrySetAcceptRouterAdvertisements(setup.Bridge, 0);
        if (!bridge.IsUp)
            host.SetLinkUp(bridge.Index);
        foreach (var a in NodeSetupIntent.Addresses(setup, bridge.Index))
        {
            host.DeleteAddress(master.Index, a.Address, a.PrefixLength, missingOk: true);
            AddAddressIfMissing(host, bridge.Index, a);
        }

        if (master.MasterIndex != bridge.Index)
            host.SetLinkMaster(master.Index, bridge.Index);
        foreach (var route in NodeSetupIntent.Routes(setup, bridge.Index))
            AddRouteIfMissing(host, route);
        using var rules = context.Kernel.OpenRules();
        rules.ApplyBridgeNode(setup.Master, masterMac.GetAddressBytes());
    }

    private static void Forget(LinuxContext context, string bridgeName) =>
        context.Store.Update(s => s.NodeSetups.RemoveAll(n => n.Bridge == bridgeName) > 0);

    /// <summary>The master's routes in the main table that the kernel does not recreate by itself (link routes first).</summary>
    private static List<RouteEntry> MovableRoutes(IRouteNetlinkOps host, int masterIndex)
    {
        var routes = new List<RouteEntry>();
        foreach (var family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
        {
            foreach (var route in host.ListRoutes(family))
            {
                if (route.OutputInterfaceIndex == masterIndex && route.Protocol != RouteProtocol.Kernel
                    && !(route.Destination?.IsIPv6LinkLocal ?? false) && !(route.Destination?.IsIPv6Multicast ?? false))
                {
                    routes.Add(route);
                }
            }
        }

        routes.SortStable((a, b) => (a.Gateway is null ? 0 : 1).CompareTo(b.Gateway is null ? 0 : 1));
        return routes;
    }

    private static void AddRoutes(IRouteNetlinkOps host, List<RouteEntry> routes, int index)
    {
        foreach (var route in routes)
        {
            AddRouteIfMissing(host, route with { OutputInterfaceIndex = index });
        }
    }

    private static void AddRouteIfMissing(IRouteNetlinkOps host, RouteEntry route)
    {
        try
        {
            host.AddRoute(route);
        }
        catch (NetlinkException e) when (e.IsAlreadyExists)
        {
        }
    }

    private static void AddAddressIfMissing(IRouteNetlinkOps host, int index, AddressInfo a)
    {
        try
        {
            host.AddAddress(index, a.Address, a.PrefixLength, a.Scope, noDad: a.Address.AddressFamily == AddressFamily.InterNetworkV6);
        }
        catch (NetlinkException e) when (e.IsAlreadyExists)
        {
        }
    }
}
