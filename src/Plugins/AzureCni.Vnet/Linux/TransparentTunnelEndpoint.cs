using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// Transparent-tunnel mode: a <see cref="TransparentEndpoint"/> whose packets are marked as they enter from its veth
/// (fwmark 3), and the node's rule <c>fwmark 0x3 lookup 101</c> sends them to table 101, whose one route is the
/// default via the gateway on the master NIC. Traffic to another pod of the node so leaves through the fabric,
/// where the VNet's security rules apply, and comes back in on the master. The node-wide rule and table exist while
/// a pod of the mode does: made under the network-setup lock by the ADD that needs them, removed under it by the
/// DEL or GC of the last one (upstream leaves them forever; an empty node is the same node here).
/// </summary>
internal sealed class TransparentTunnelEndpoint(LinuxContext context) : IEndpointMode
{
    /// <summary>The table marked packets are routed by (upstream's value).</summary>
    public const uint Table = 101;

    private readonly TransparentEndpoint _transparent = new(context);

    /// <summary><c>ip -4 rule add fwmark 0x3 lookup 101</c>: no priority, the kernel's pick (32765 on a stock node), as upstream.</summary>
    public static FibRule Rule => new() { Family = AddressFamily.InterNetwork, FwMark = Rules.AzureCniRules.TunnelMark, Table = Table };

    public VnetMode Mode => VnetMode.TransparentTunnel;

    public string Name => EndpointModes.TransparentTunnelName;

    public PhysicalAddress? HostMac => TransparentEndpoint.FixedHostMac;

    public bool HasRules => true;

    public LinkInfo? SetUpNode(IRouteNetlinkOps host, LinkInfo master, string? bridgeName, bool holdsSetupLock) => null;

    public (IPAddress? Gateway, List<CniRoute> Routes) Attach(NewEndpoint endpoint, CniResult ipamResult, UndoStack undo)
    {
        var routing = _transparent.Attach(endpoint, ipamResult, undo);
        var host = endpoint.Host;
        using (context.Store.LockNetworkSetup())
        {
            context.Fail.At("tunnel-node");
            // Pushed first so that it runs after the pod's rules are gone: the node objects go if no other pod needs them.
            undo.Push("tunnel node", () =>
            {
                if (!context.LeaveNodeObjects(endpoint.Key).Exists(e => e.Mode == EndpointModes.TransparentTunnelName))
                    RemoveNode(host);
            });
            EnsureNode(host, endpoint.Master);

            context.Fail.At("tunnel-rules");
            using var rules = context.Kernel.OpenRules();
            rules.ApplyTunnelContainer(endpoint.Tag, endpoint.Master.Name, endpoint.HostLink.Name, endpoint.Addresses.ConvertAll(a => a.Address));
            undo.Push("tunnel rules", () => context.DeleteRules(endpoint.Tag));
        }

        return routing;
    }

    public void Detach(IRouteNetlinkOps host, EndpointRecord record, LinkInfo? hostLink, IReadOnlyList<IPNetworkAddress> addresses)
    {
        _transparent.Detach(host, record, hostLink, addresses);
        using (context.Store.LockNetworkSetup())
        {
            context.DeleteRules(RuleTag.Attachment(record.ContainerId, record.IfName));
            if (!context.LeaveNodeObjects(EndpointKey.Of(record)).Exists(e => e.Mode == EndpointModes.TransparentTunnelName))
                RemoveNode(host);
        }
    }

    public void Check(CheckedEndpoint endpoint)
    {
        _transparent.Check(endpoint);
        var record = endpoint.Record;
        var host = endpoint.Host;
        if (!host.ListRules(AddressFamily.InterNetwork).Exists(IsTunnelRule))
            throw LinuxContext.Missing($"rule fwmark 0x3 lookup {Table} missing");
        if (!host.ListRoutes(AddressFamily.InterNetwork, Table).Exists(r => r.Destination is null && r.Gateway is not null && r.OutputInterfaceIndex is not null))
            throw LinuxContext.Missing($"default route in table {Table} missing");

        string tag = RuleTag.Attachment(record.ContainerId, record.IfName);
        using var rules = context.Kernel.OpenRules();
        if (!rules.HasTunnelContainer(tag, record.Master, record.HostIfName, endpoint.Addresses.ConvertAll(a => a.Address)))
            throw LinuxContext.Missing($"tunnel rules {tag} missing");
    }

    /// <summary>
    /// The live IPv4 default gateway of the master (main table), as upstream reads it: the state's gateway can be
    /// 0.0.0.0. None is a failed ADD.
    /// </summary>
    internal static IPAddress Gateway(IRouteNetlinkOps host, LinkInfo master) =>
        host.ListRoutes(AddressFamily.InterNetwork)
            .Find(r => r.Destination is null && r.DestinationPrefixLength == 0 && r.OutputInterfaceIndex == master.Index
                && r.Gateway is { } g && !g.Equals(IPAddress.Any))?.Gateway
        ?? throw new CniException(CniErrorCode.Runtime, $"azure-vnet: no usable IPv4 gateway on the default route of {master.Name} (transparent-tunnel mode)");

    private static bool IsTunnelRule(FibRule r) => r.FwMark == Rules.AzureCniRules.TunnelMark && r.Table == Table && r.Action == Rule.Action;

    /// <summary><c>ip -4 rule add fwmark 0x3 lookup 101</c> unless there; <c>ip route replace default via GW dev MASTER table 101</c>.</summary>
    private void EnsureNode(IRouteNetlinkOps host, LinkInfo master)
    {
        var gateway = Gateway(host, master);
        if (!host.ListRules(AddressFamily.InterNetwork).Exists(IsTunnelRule))
        {
            try
            {
                host.AddRule(Rule);
            }
            catch (NetlinkException e) when (e.IsAlreadyExists)
            {
            }
        }

        host.ReplaceRoute(TableRoute(gateway, master.Index));
    }

    /// <summary>
    /// Under the network-setup lock, when no other attachment of the mode counts (an ADD writes its entry before it
    /// takes the lock, so a concurrent one is seen; a concurrent DEL has marked its own): the rule, table 101 and the
    /// nft table go.
    /// </summary>
    private void RemoveNode(IRouteNetlinkOps host)
    {
        context.Log.Information("last transparent-tunnel endpoint gone: removing rule fwmark 0x3 lookup {Table} and its table", [Table]);
        foreach (var rule in host.ListRules(AddressFamily.InterNetwork).FindAll(IsTunnelRule))
            host.DeleteRule(rule, missingOk: true);
        foreach (var route in host.ListRoutes(AddressFamily.InterNetwork, Table))
            host.DeleteRoute(route, missingOk: true);
        using var rules = context.Kernel.OpenRules();
        rules.DeleteTunnelTableIfEmpty();
    }

    private static RouteEntry TableRoute(IPAddress gateway, int masterIndex) => new()
    {
        Gateway = gateway,
        OutputInterfaceIndex = masterIndex,
        Table = Table,
        Protocol = RouteProtocol.Static,
        Family = AddressFamily.InterNetwork,
    };
}
