using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Netlink;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Vnet.Linux.Kernel;

/// <summary>The kernel itself: rtnetlink and nf_tables sockets, /proc/sys.</summary>
internal sealed class LinuxKernel : ILinuxKernel
{
    public static readonly LinuxKernel Instance = new();

    public IRouteNetlinkOps OpenNode() => new RouteNetlinkOps(RouteNetlink.Open());

    public bool TryOpenNamespace(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IContainerNamespace? container)
    {
        container = null;
        if (string.IsNullOrEmpty(path) || !NetworkNamespace.TryOpen(path, out var ns))
            return false;
        container = new ContainerNamespace(ns);
        return true;
    }

    public IAzureCniRuleTable OpenRules() => new NfTablesRuleTable(NfTablesClient.Open());

    public void SetProxyArp(string ifName, bool enabled) => Sysctl.SetProxyArp(ifName, enabled);

    public void TrySetAcceptRouterAdvertisements(string ifName, int value)
    {
        try
        {
            Sysctl.SetAcceptRouterAdvertisements(ifName, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // IPv6 disabled: there is no accept_ra to turn off.
        }
    }

    public void EnableIPv6Forwarding()
    {
        if (!IsIPv6ForwardingEnabled())
            Sysctl.SetForwarding(AddressFamily.InterNetworkV6, "all", true);
    }

    public bool IsIPv6ForwardingEnabled() => Sysctl.GetInterfaceValue(AddressFamily.InterNetworkV6, "all", "forwarding") == "1";

    private sealed class ContainerNamespace(NetworkNamespace ns) : IContainerNamespace
    {
        public NetworkNamespace Namespace => ns;

        public string Path => ns.Path;

        public IRouteNetlinkOps OpenRouteNetlink() => new RouteNetlinkOps(RouteNetlink.Open(ns));

        // One thread into the namespace for the three writes: /proc/sys/net is the opening thread's namespace's.
        public void PrepareIPv6(string ifName) => ns.Run(() =>
        {
            Sysctl.SetInterfaceValue(AddressFamily.InterNetworkV6, ifName, "disable_ipv6", "0");
            Sysctl.SetAcceptRouterAdvertisements(ifName, 0);
            Sysctl.SetInterfaceValue(AddressFamily.InterNetworkV6, ifName, "accept_dad", "0");
        });

        public void Dispose() => ns.Dispose();
    }

    /// <summary>Each request as <see cref="RouteNetlink"/> sends it.</summary>
    private sealed class RouteNetlinkOps(RouteNetlink rtnl) : IRouteNetlinkOps
    {
        public IReadOnlyList<LinkInfo> ListLinks() => rtnl.ListLinks();

        public bool TryGetLink(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LinkInfo? link) => rtnl.TryGetLink(name, out link);

        public bool TryGetLink(int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LinkInfo? link) => rtnl.TryGetLink(index, out link);

        public LinkInfo GetLink(string name) => rtnl.GetLink(name);

        public LinkInfo GetLink(int index) => rtnl.GetLink(index);

        public void AddBridge(string name, int? mtu) => rtnl.AddBridge(name, mtu);

        public void AddVethPair(string name, string peerName, IContainerNamespace peerNamespace, PhysicalAddress? macAddress, int? mtu) =>
            rtnl.AddVethPair(name, peerName, ((ContainerNamespace)peerNamespace).Namespace, macAddress: macAddress, mtu: mtu);

        public bool DeleteLink(string name, bool missingOk = false) => rtnl.DeleteLink(name, missingOk);

        public bool DeleteLink(int index, bool missingOk = false) => rtnl.DeleteLink(index, missingOk);

        public void SetLinkUp(int index) => rtnl.SetLinkUp(index);

        public void SetLinkDown(int index) => rtnl.SetLinkDown(index);

        public void SetLinkMacAddress(int index, PhysicalAddress macAddress) => rtnl.SetLinkMacAddress(index, macAddress);

        public void SetLinkMaster(int index, int masterIndex) => rtnl.SetLinkMaster(index, masterIndex);

        public void SetLinkNoMaster(int index) => rtnl.SetLinkNoMaster(index);

        public void SetBridgePortHairpin(int index, bool enabled) => rtnl.SetBridgePortHairpin(index, enabled);

        public IReadOnlyList<AddressInfo> ListAddresses(int index = 0) => rtnl.ListAddresses(index);

        public void AddAddress(int index, IPAddress address, int prefixLength, RouteScope scope = RouteScope.Universe, bool noDad = false) =>
            rtnl.AddAddress(index, address, prefixLength, scope, noDad);

        public bool DeleteAddress(int index, IPAddress address, int prefixLength, bool missingOk = false) =>
            rtnl.DeleteAddress(index, address, prefixLength, missingOk);

        public IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family) => rtnl.ListRoutes(family);

        public IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family, uint table) => rtnl.ListRoutes(family, table);

        public void ReplaceRoute(RouteEntry route) => rtnl.ReplaceRoute(route);

        public IReadOnlyList<FibRule> ListRules(AddressFamily family) => rtnl.ListRules(family);

        public void AddRule(FibRule rule) => rtnl.AddRule(rule);

        public bool DeleteRule(FibRule rule, bool missingOk = false) => rtnl.DeleteRule(rule, missingOk);

        public void AddRoute(RouteEntry route) => rtnl.AddRoute(route);

        public bool DeleteRoute(RouteEntry route, bool missingOk = false) => rtnl.DeleteRoute(route, missingOk);

        public void ReplaceNeighbor(int index, IPAddress address, PhysicalAddress? macAddress, NeighborState state) =>
            rtnl.ReplaceNeighbor(index, address, macAddress, state);

        public bool DeleteNeighbor(int index, IPAddress address, bool missingOk = false) => rtnl.DeleteNeighbor(index, address, missingOk);

        public IReadOnlyList<NeighborEntry> ListNeighbors(int index, AddressFamily family) => rtnl.ListNeighbors(index, family);

        public void Dispose() => rtnl.Dispose();
    }

    /// <summary>The rule sets kept in nf_tables.</summary>
    private sealed class NfTablesRuleTable(NfTablesClient nft) : IAzureCniRuleTable
    {
        public void ApplyBridgeNode(string master, ReadOnlySpan<byte> masterMac) => AzureCniRules.ApplyBridgeNode(nft, master, masterMac);

        public void ApplyBridgeContainer(string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses) =>
            AzureCniRules.ApplyBridgeContainer(nft, tag, master, containerMac, addresses);

        public bool HasBridgeContainer(string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses) =>
            AzureCniRules.HasBridgeContainer(nft, tag, master, containerMac, addresses);

        public void ApplyPortMappings(string tag, IReadOnlyList<NfPortMapping> mappings) => AzureCniRules.ApplyPortMappings(nft, tag, mappings);

        public bool HasPortMappings(string tag, IReadOnlyList<NfPortMapping> mappings) => AzureCniRules.HasPortMappings(nft, tag, mappings);

        public void ApplyTunnelContainer(string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
            AzureCniRules.ApplyTunnelContainer(nft, tag, master, hostVeth, addresses);

        public bool HasTunnelContainer(string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
            AzureCniRules.HasTunnelContainer(nft, tag, master, hostVeth, addresses);

        public bool DeleteTunnelTableIfEmpty() => AzureCniRules.DeleteTunnelTableIfEmpty(nft);

        public void ApplyViaHost(IPAddress address, ReadOnlySpan<byte> bridgeMac) => AzureCniRules.ApplyViaHost(nft, address, bridgeMac);

        public bool HasViaHost(IPAddress address) => AzureCniRules.HasViaHost(nft, address);

        public void DeleteViaHost(IPAddress address)
        {
            AzureCniRules.DeleteViaHost(nft, address);
            AzureCniRules.DeleteViaHostTableIfEmpty(nft);
        }

        public int Delete(string tag) => AzureCniRules.Delete(nft, tag);

        public void DeletePortMappingTablesIfEmpty() => AzureCniRules.DeletePortMappingTablesIfEmpty(nft);

        public IReadOnlyList<string> ListTags() => AzureCniRules.ListTags(nft);

        public IReadOnlyList<EbtablesRule> ListUpstreamRules() => nft.ListEbtablesRules(UpstreamPodRules.Table);

        public int DeleteUpstreamRules(Func<EbtablesRule, bool> select) => nft.DeleteEbtablesRules(UpstreamPodRules.Table, select);

        public void Dispose() => nft.Dispose();
    }
}
