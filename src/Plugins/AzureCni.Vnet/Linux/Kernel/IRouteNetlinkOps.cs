using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Netlink;

namespace AzureCni.Vnet.Linux.Kernel;

/// <summary>
/// The rtnetlink requests the Linux data path makes in one network namespace (the node's or a container's).
/// <see cref="LinuxKernel"/> sends them to the kernel; the unit tests give the data path a recording fake, so
/// what it creates, removes and checks is proved without root.
/// </summary>
internal interface IRouteNetlinkOps : IDisposable
{
    IReadOnlyList<LinkInfo> ListLinks();

    bool TryGetLink(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LinkInfo? link);

    bool TryGetLink(int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LinkInfo? link);

    LinkInfo GetLink(string name);

    LinkInfo GetLink(int index);

    void AddBridge(string name, int? mtu);

    /// <summary>A veth pair whose peer is created directly inside <paramref name="peerNamespace"/>.</summary>
    void AddVethPair(string name, string peerName, IContainerNamespace peerNamespace, PhysicalAddress? macAddress, int? mtu);

    bool DeleteLink(string name, bool missingOk = false);

    bool DeleteLink(int index, bool missingOk = false);

    void SetLinkUp(int index);

    void SetLinkDown(int index);

    void SetLinkMacAddress(int index, PhysicalAddress macAddress);

    void SetLinkMaster(int index, int masterIndex);

    void SetLinkNoMaster(int index);

    void SetBridgePortHairpin(int index, bool enabled);

    IReadOnlyList<AddressInfo> ListAddresses(int index = 0);

    void AddAddress(int index, IPAddress address, int prefixLength, RouteScope scope = RouteScope.Universe, bool noDad = false);

    bool DeleteAddress(int index, IPAddress address, int prefixLength, bool missingOk = false);

    IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family);

    /// <summary>The routes of one table (0: every table).</summary>
    IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family, uint table);

    void AddRoute(RouteEntry route);

    void ReplaceRoute(RouteEntry route);

    IReadOnlyList<FibRule> ListRules(AddressFamily family);

    /// <summary>Fails with EEXIST when an equal rule exists.</summary>
    void AddRule(FibRule rule);

    bool DeleteRule(FibRule rule, bool missingOk = false);

    bool DeleteRoute(RouteEntry route, bool missingOk = false);

    void ReplaceNeighbor(int index, IPAddress address, PhysicalAddress? macAddress, NeighborState state);

    bool DeleteNeighbor(int index, IPAddress address, bool missingOk = false);

    IReadOnlyList<NeighborEntry> ListNeighbors(int index, AddressFamily family);
}

/// <summary>A container's network namespace, open for as long as the command needs it.</summary>
internal interface IContainerNamespace : IDisposable
{
    string Path { get; }

    IRouteNetlinkOps OpenRouteNetlink();

    /// <summary>
    /// Inside the namespace, before <paramref name="ifName"/> goes up: IPv6 on, router advertisements ignored, no
    /// duplicate address detection (its link-local address would otherwise be tentative for a second or more).
    /// </summary>
    void PrepareIPv6(string ifName);
}
