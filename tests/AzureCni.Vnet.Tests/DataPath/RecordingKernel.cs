using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Netlink;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux.Rules;
using AzureCni.Vnet.Linux.Kernel;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// A kernel in memory for the Linux data path: namespaces with links, addresses, routes and neighbours that behave
/// as the kernel's do where the data path depends on it (EEXIST on a duplicate, a veth's peer and routes going with
/// it, the prefix route of an address), azure-vnet's rules by tag, the sysctls. Every change is recorded in
/// <see cref="Journal"/> ("node: add route 10.0.0.5/32 dev azv..."), and the <see cref="FailAtChange"/>th change
/// can be made to fail, so the tests see what the data path does and undoes.
/// </summary>
internal sealed class RecordingKernel : ILinuxKernel
{
    private const int EEXIST = 17, ESRCH = 3, ENODEV = 19, EPERM = 1, ENOENT = 2;

    private readonly Dictionary<string, Netns> _namespaces = new(StringComparer.Ordinal);
    private int _changes;

    public RecordingKernel() => Node = new Netns(this, "node");

    public Netns Node { get; }

    public List<string> Journal { get; } = [];

    /// <summary>Tag to a description of each rule set applied under it.</summary>
    public SortedDictionary<string, List<string>> Rules { get; } = new(StringComparer.Ordinal);

    /// <summary>True while <c>ip azure-cni-tunnel</c> exists (made by the first tunnel rule set, gone only when deleted).</summary>
    public bool TunnelTable { get; set; }

    /// <summary>True while <c>bridge azure-cni-via-host</c> exists (made by the first via-host rule, gone with the last).</summary>
    public bool ViaHostTable { get; set; }

    public Dictionary<string, string> Sysctls { get; } = new(StringComparer.Ordinal);

    /// <summary>The rules of ebtables-nft's <c>bridge nat</c> (upstream Azure CNI's), as a dump reads them.</summary>
    public List<EbtablesRule> UpstreamRules { get; } = [];

    /// <summary>The nf_tables tables that exist ("ip azure-cni", ...): port mappings create the nat ones.</summary>
    public SortedSet<string> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>The change (1-based) that fails with EPERM, as a kernel refusing a request would.</summary>
    public int? FailAtChange { get; set; }

    public int Changes => _changes;

    /// <summary>
    /// The change (1-based) at which the process dies: <see cref="OnKill"/> runs (a test snapshots the state files
    /// there), the change and every later one have no effect, and the call is unwound by <see cref="SimulatedKill"/>.
    /// No undo can run after a kill, so nothing done while unwinding reaches this kernel.
    /// </summary>
    public int? KillAtChange { get; set; }

    public Action? OnKill { get; set; }

    /// <summary>Killed: every change is ignored until <see cref="Revive"/> (the runtime's next call, a new process).</summary>
    public bool Dead { get; private set; }

    public void Revive()
    {
        Dead = false;
        KillAtChange = null;
    }

    public Netns AddNamespace(string path)
    {
        var ns = new Netns(this, path);
        _namespaces[path] = ns;
        return ns;
    }

    public IRouteNetlinkOps OpenNode() => Node;

    public bool TryOpenNamespace(string path, [NotNullWhen(true)] out IContainerNamespace? container)
    {
        container = _namespaces.TryGetValue(path, out var ns) ? ns : null;
        return container is not null;
    }

    public IAzureCniRuleTable OpenRules() => new RuleTable(this);

    public void SetProxyArp(string ifName, bool enabled) => Change("node", $"sysctl proxy_arp {ifName}={(enabled ? 1 : 0)}", () => Sysctls["proxy_arp/" + ifName] = enabled ? "1" : "0");

    public void TrySetAcceptRouterAdvertisements(string ifName, int value) => Sysctls["accept_ra/" + ifName] = value.ToString(CultureInfo.InvariantCulture);

    public void EnableIPv6Forwarding()
    {
        if (!IsIPv6ForwardingEnabled())
            Change("node", "sysctl ipv6 all.forwarding=1", () => Sysctls["ipv6-forwarding"] = "1");
    }

    public bool IsIPv6ForwardingEnabled() => Sysctls.GetValueOrDefault("ipv6-forwarding") == "1";

    private void Change(string where, string what, Action apply)
    {
        if (Dead)
            return;
        if (++_changes == KillAtChange)
        {
            Dead = true;
            OnKill?.Invoke();
            Journal.Add($"{where}: KILLED before {what}");
            throw new SimulatedKill();
        }

        if (_changes == FailAtChange)
        {
            Journal.Add($"{where}: FAILED {what}");
            throw new NetlinkException(EPERM, what);
        }

        apply();
        Journal.Add($"{where}: {what}");
    }

    /// <summary>The process dying (SIGKILL) at a kernel change.</summary>
    internal sealed class SimulatedKill() : Exception("killed");

    private static PhysicalAddress NewMac(int seed) => new([0x02, 0, 0, 0, (byte)(seed >> 8), (byte)seed]);

    private static NetlinkException Error(int errno, string what) => new(errno, what);

    /// <summary>One network namespace.</summary>
    internal sealed class Netns(RecordingKernel kernel, string path) : IRouteNetlinkOps, IContainerNamespace
    {
        private static int s_macs;
        private int _nextIndex = 2;

        public List<LinkInfo> Links { get; } = [];

        public List<AddressInfo> Addresses { get; } = [];

        public List<RouteEntry> Routes { get; } = [];

        public List<NeighborEntry> Neighbors { get; } = [];

        public string Path => path;

        public IRouteNetlinkOps OpenRouteNetlink() => this;

        public void PrepareIPv6(string ifName) => kernel.Change(path, $"sysctl ipv6 {ifName} disable_ipv6=0 accept_ra=0 accept_dad=0",
            () => kernel.Sysctls[path + ":ipv6/" + ifName] = "disable_ipv6=0 accept_ra=0 accept_dad=0");

        public void Dispose()
        {
        }

        /// <summary>Sets up a link as a test's starting point (not journaled).</summary>
        public LinkInfo Seed(string name, string kind, PhysicalAddress? mac = null, bool up = true)
        {
            var link = new LinkInfo
            {
                Index = _nextIndex++,
                Name = name,
                MacAddress = mac ?? NewMac(Interlocked.Increment(ref s_macs)),
                Mtu = 1500,
                Kind = kind,
                OperState = LinkOperState.Up,
                Flags = up ? 1u : 0u,
            };
            Links.Add(link);
            return link;
        }

        public string Snapshot() => string.Join("\n", [
            .. Links.Select(l => $"link {l.Index} {l.Name} {l.Kind} master={l.MasterIndex} flags={l.Flags} mac={l.MacAddress}"),
            .. Addresses.Select(a => $"addr {a.InterfaceIndex} {a.Address}/{a.PrefixLength} {a.Scope}"),
            .. Routes.Select(Describe).Order(StringComparer.Ordinal),
            .. Neighbors.Select(n => $"neigh {n.InterfaceIndex} {n.Address} {n.MacAddress}")]);

        public IReadOnlyList<LinkInfo> ListLinks() => [.. Links];

        public bool TryGetLink(string name, [NotNullWhen(true)] out LinkInfo? link) => (link = Links.Find(l => l.Name == name)) is not null;

        public bool TryGetLink(int index, [NotNullWhen(true)] out LinkInfo? link) => (link = Links.Find(l => l.Index == index)) is not null;

        public LinkInfo GetLink(string name) => TryGetLink(name, out var link) ? link : throw Error(ENODEV, "get link " + name);

        public LinkInfo GetLink(int index) => TryGetLink(index, out var link) ? link : throw Error(ENODEV, "get link " + index);

        public void AddBridge(string name, int? mtu) => kernel.Change(path, "add bridge " + name, () =>
        {
            if (TryGetLink(name, out _))
                throw Error(EEXIST, "add bridge " + name);
            Seed(name, "bridge", up: false);
        });

        public void AddVethPair(string name, string peerName, IContainerNamespace peerNamespace, PhysicalAddress? macAddress, int? mtu) =>
            kernel.Change(path, $"add veth {name} peer {peerName} in {peerNamespace.Path}", () =>
            {
                var peer = (Netns)peerNamespace;
                if (TryGetLink(name, out _) || peer.TryGetLink(peerName, out _))
                    throw Error(EEXIST, "add veth " + name);
                var near = Seed(name, "veth", macAddress, up: false);
                var far = peer.Seed(peerName, "veth", up: false);

                // Each end's parent is the other's index (IFLA_LINK), as the kernel reports a veth.
                Links[Links.IndexOf(near)] = near with { ParentIndex = far.Index };
                peer.Links[peer.Links.IndexOf(far)] = far with { ParentIndex = near.Index };
                _peers[name] = (peer, peerName);
                peer._peers[peerName] = (this, name);
            });

        private readonly Dictionary<string, (Netns Ns, string Name)> _peers = new(StringComparer.Ordinal);

        public bool DeleteLink(string name, bool missingOk = false) =>
            TryGetLink(name, out var link) ? DeleteLink(link.Index, missingOk) : missingOk ? false : throw Error(ENODEV, "delete link " + name);

        public bool DeleteLink(int index, bool missingOk = false)
        {
            if (!TryGetLink(index, out var link))
                return missingOk ? false : throw Error(ENODEV, "delete link " + index);
            kernel.Change(path, "delete link " + link.Name, () =>
            {
                Forget(link);
                if (_peers.Remove(link.Name, out var peer) && peer.Ns.TryGetLink(peer.Name, out var far))
                {
                    peer.Ns._peers.Remove(peer.Name);
                    peer.Ns.Forget(far);
                }
            });
            return true;
        }

        private void Forget(LinkInfo link)
        {
            Links.Remove(link);
            Addresses.RemoveAll(a => a.InterfaceIndex == link.Index);
            Routes.RemoveAll(r => r.OutputInterfaceIndex == link.Index);
            Neighbors.RemoveAll(n => n.InterfaceIndex == link.Index);
            for (int i = 0; i < Links.Count; i++)
            {
                if (Links[i].MasterIndex == link.Index)
                    Links[i] = Links[i] with { MasterIndex = null };
            }
        }

        public void SetLinkUp(int index) => Update(index, "set up", l => l with { Flags = l.Flags | 1 });

        public void SetLinkDown(int index) => Update(index, "set down", l => l with { Flags = l.Flags & ~1u });

        public void SetLinkMacAddress(int index, PhysicalAddress macAddress) => Update(index, "set address " + macAddress, l => l with { MacAddress = macAddress });

        public void SetLinkMaster(int index, int masterIndex) => Update(index, "set master " + GetLink(masterIndex).Name, l => l with { MasterIndex = masterIndex });

        public void SetLinkNoMaster(int index) => Update(index, "set nomaster", l => l with { MasterIndex = null });

        public void SetBridgePortHairpin(int index, bool enabled) => Update(index, "set hairpin " + (enabled ? "on" : "off"), l => l);

        private void Update(int index, string what, Func<LinkInfo, LinkInfo> change)
        {
            var link = GetLink(index);
            kernel.Change(path, $"link {link.Name} {what}", () => Links[Links.IndexOf(link)] = change(link));
        }

        public IReadOnlyList<AddressInfo> ListAddresses(int index = 0) => Addresses.FindAll(a => index == 0 || a.InterfaceIndex == index);

        public void AddAddress(int index, IPAddress address, int prefixLength, RouteScope scope = RouteScope.Universe, bool noDad = false) =>
            kernel.Change(path, $"add address {address}/{prefixLength} dev {GetLink(index).Name}", () =>
            {
                if (Addresses.Exists(a => a.InterfaceIndex == index && a.Address.Equals(address)))
                    throw Error(EEXIST, "add address " + address);
                Addresses.Add(new AddressInfo(index, address, prefixLength, scope, null));
                if (prefixLength < (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
                    Routes.Add(PrefixRoute(index, address, prefixLength));
            });

        public bool DeleteAddress(int index, IPAddress address, int prefixLength, bool missingOk = false)
        {
            var found = Addresses.Find(a => a.InterfaceIndex == index && a.Address.Equals(address));
            if (found is null)
                return missingOk ? false : throw Error(ENODEV, "delete address " + address);
            kernel.Change(path, $"delete address {address}/{prefixLength} dev {GetLink(index).Name}", () =>
            {
                Addresses.Remove(found);

                // The kernel drops the prefix route and every route whose gateway the address made reachable.
                var subnet = new IPNetwork(Mask(address, prefixLength), prefixLength);
                Routes.RemoveAll(r => r.OutputInterfaceIndex == index && (r.Protocol == RouteProtocol.Kernel && r.Destination is { } d && subnet.Contains(d)
                    || r.Gateway is { } g && subnet.Contains(g)));
            });
            return true;
        }

        public IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family) => ListRoutes(family, 254);

        public IReadOnlyList<RouteEntry> ListRoutes(AddressFamily family, uint table) => Routes.FindAll(r => r.Family == family && (table == 0 || r.Table == table));

        public List<FibRule> FibRules { get; } = [];

        public void ReplaceRoute(RouteEntry route) => kernel.Change(path, "replace " + Describe(route) + " table " + route.Table.ToString(CultureInfo.InvariantCulture), () =>
        {
            Routes.RemoveAll(r => r.Family == route.Family && Equals(r.Destination, route.Destination) && r.DestinationPrefixLength == route.DestinationPrefixLength
                && r.Table == route.Table && r.Metric == route.Metric);
            Routes.Add(route);
        });

        public IReadOnlyList<FibRule> ListRules(AddressFamily family) => FibRules.FindAll(r => r.Family == family);

        public void AddRule(FibRule rule) => kernel.Change(path, DescribeRule("add", rule), () =>
        {
            if (FibRules.Exists(r => r.Family == rule.Family && r.FwMark == rule.FwMark && r.Table == rule.Table && (rule.Priority is null || r.Priority == rule.Priority)))
                throw Error(EEXIST, DescribeRule("add", rule));
            FibRules.Add(rule with { Priority = rule.Priority ?? 32765 });
        });

        public bool DeleteRule(FibRule rule, bool missingOk = false)
        {
            var found = FibRules.Find(r => r.Family == rule.Family && r.FwMark == rule.FwMark && r.Table == rule.Table && (rule.Priority is null || r.Priority == rule.Priority));
            if (found is null)
                return missingOk ? false : throw Error(ENOENT, DescribeRule("delete", rule));
            kernel.Change(path, DescribeRule("delete", rule), () => FibRules.Remove(found));
            return true;
        }

        private static string DescribeRule(string verb, FibRule r) =>
            $"{verb} rule fwmark 0x{r.FwMark:x} lookup {r.Table.ToString(CultureInfo.InvariantCulture)}";

        public void AddRoute(RouteEntry route) => kernel.Change(path, "add " + Describe(route), () =>
        {
            if (Routes.Exists(r => r.Family == route.Family && Equals(r.Destination, route.Destination) && r.DestinationPrefixLength == route.DestinationPrefixLength
                    && r.Table == route.Table && r.Metric == route.Metric))
            {
                throw Error(EEXIST, "add " + Describe(route));
            }

            if (route.OutputInterfaceIndex is { } oif && !TryGetLink(oif, out _))
                throw Error(ENODEV, "add " + Describe(route));
            Routes.Add(route);
        });

        public bool DeleteRoute(RouteEntry route, bool missingOk = false)
        {
            var found = Routes.Find(r => Equals(r.Destination, route.Destination) && r.DestinationPrefixLength == route.DestinationPrefixLength
                && r.Table == route.Table && (route.OutputInterfaceIndex is null || r.OutputInterfaceIndex == route.OutputInterfaceIndex)
                && (route.Gateway is null || Equals(r.Gateway, route.Gateway)));
            if (found is null)
                return missingOk ? false : throw Error(ESRCH, "delete " + Describe(route));
            kernel.Change(path, "delete " + Describe(found), () => Routes.Remove(found));
            return true;
        }

        public void ReplaceNeighbor(int index, IPAddress address, PhysicalAddress? macAddress, NeighborState state) =>
            kernel.Change(path, $"replace neighbour {address} lladdr {macAddress} dev {GetLink(index).Name}", () =>
            {
                Neighbors.RemoveAll(n => n.InterfaceIndex == index && n.Address.Equals(address));
                Neighbors.Add(new NeighborEntry(index, address, macAddress, state));
            });

        public bool DeleteNeighbor(int index, IPAddress address, bool missingOk = false)
        {
            var found = Neighbors.Find(n => n.InterfaceIndex == index && n.Address.Equals(address));
            if (found is null)
                return missingOk ? false : throw Error(ENODEV, "delete neighbour " + address);
            kernel.Change(path, $"delete neighbour {address} dev {GetLink(index).Name}", () => Neighbors.Remove(found));
            return true;
        }

        public IReadOnlyList<NeighborEntry> ListNeighbors(int index, AddressFamily family) =>
            Neighbors.FindAll(n => n.InterfaceIndex == index && n.Address.AddressFamily == family);

        private string Describe(RouteEntry r)
        {
            string destination = r.Destination is null ? "default" : $"{r.Destination}/{r.DestinationPrefixLength}";
            string via = r.Gateway is null ? "" : $" via {r.Gateway}";
            string dev = r.OutputInterfaceIndex is { } i ? " dev " + (TryGetLink(i, out var l) ? l.Name : i.ToString(CultureInfo.InvariantCulture)) : "";
            return $"route {destination}{via}{dev}";
        }

        private static RouteEntry PrefixRoute(int index, IPAddress address, int prefixLength) => new()
        {
            Destination = Mask(address, prefixLength),
            DestinationPrefixLength = prefixLength,
            OutputInterfaceIndex = index,
            Protocol = RouteProtocol.Kernel,
            // IPv6's prefix route has universe scope and no preferred source.
            Scope = address.AddressFamily == AddressFamily.InterNetwork ? RouteScope.Link : RouteScope.Universe,
            PreferredSource = address.AddressFamily == AddressFamily.InterNetwork ? address : null,
        };

        private static IPAddress Mask(IPAddress address, int prefixLength) => AzureCni.Cni.Types.IPText.Mask(address, prefixLength);
    }

    /// <summary>The rule sets, each recorded under its tag as what it was applied with.</summary>
    private sealed class RuleTable(RecordingKernel kernel) : IAzureCniRuleTable
    {
        public void ApplyBridgeNode(string master, ReadOnlySpan<byte> masterMac) =>
            Apply("azcni:node:" + master, $"bridge-node {master} {Convert.ToHexString(masterMac)}");

        public void ApplyBridgeContainer(string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses) =>
            Apply(tag, BridgeContainer(master, containerMac, addresses));

        public bool HasBridgeContainer(string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses) =>
            kernel.Rules.TryGetValue(tag, out var sets) && sets.Contains(BridgeContainer(master, containerMac, addresses));

        public void ApplyPortMappings(string tag, IReadOnlyList<NfPortMapping> mappings)
        {
            Apply(tag, PortMappings(mappings));
            kernel.Tables.UnionWith(NatTables);
        }

        public void DeletePortMappingTablesIfEmpty()
        {
            if (kernel.Tables.Overlaps(NatTables) && !kernel.Rules.Values.Any(sets => sets.Exists(set => set.StartsWith("port-mappings", StringComparison.Ordinal))))
                kernel.Change("nft", "delete tables ip/ip6 azure-cni", () => kernel.Tables.ExceptWith(NatTables));
        }

        public bool HasPortMappings(string tag, IReadOnlyList<NfPortMapping> mappings) =>
            kernel.Rules.TryGetValue(tag, out var sets) && sets.Contains(PortMappings(mappings));

        public void ApplyTunnelContainer(string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
            Apply(tag, TunnelContainer(master, hostVeth, addresses));

        public bool HasTunnelContainer(string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
            kernel.Rules.TryGetValue(tag, out var sets) && sets.Contains(TunnelContainer(master, hostVeth, addresses));

        public bool DeleteTunnelTableIfEmpty()
        {
            if (kernel.Rules.Values.Any(sets => sets.Exists(s => s.StartsWith("tunnel-container", StringComparison.Ordinal))))
                return false;
            if (kernel.TunnelTable)
                kernel.Change("nft", "delete table ip azure-cni-tunnel", () => kernel.TunnelTable = false);
            return true;
        }

        public void ApplyViaHost(IPAddress address, ReadOnlySpan<byte> bridgeMac) =>
            Apply("azcni:node:via-host:" + address, $"via-host {address} {Convert.ToHexString(bridgeMac)}");

        public bool HasViaHost(IPAddress address) => kernel.Rules.ContainsKey("azcni:node:via-host:" + address);

        public void DeleteViaHost(IPAddress address)
        {
            Delete("azcni:node:via-host:" + address);
            if (kernel.ViaHostTable && !kernel.Rules.Keys.Any(t => t.StartsWith("azcni:node:via-host:", StringComparison.Ordinal)))
                kernel.Change("nft", "delete table bridge azure-cni-via-host", () => kernel.ViaHostTable = false);
        }

        public int Delete(string tag)
        {
            if (!kernel.Rules.TryGetValue(tag, out var sets))
                return 0;
            kernel.Change("nft", "delete rules " + tag, () => kernel.Rules.Remove(tag));
            return sets.Count;
        }

        public IReadOnlyList<string> ListTags() => [.. kernel.Rules.Keys.Order(StringComparer.Ordinal)];

        public IReadOnlyList<EbtablesRule> ListUpstreamRules() => [.. kernel.UpstreamRules];

        public int DeleteUpstreamRules(Func<EbtablesRule, bool> select)
        {
            var doomed = kernel.UpstreamRules.Where(select).ToList();
            if (doomed.Count > 0)
            {
                kernel.Change("nft", "delete rules bridge nat handle " + string.Join(",", doomed.Select(r => r.Rule.Handle)),
                    () => kernel.UpstreamRules.RemoveAll(doomed.Contains));
            }

            return doomed.Count;
        }

        public void Dispose()
        {
        }

        private void Apply(string tag, string set) => kernel.Change("nft", $"apply {tag}: {set}", () =>
        {
            kernel.TunnelTable |= set.StartsWith("tunnel-container", StringComparison.Ordinal);
            kernel.ViaHostTable |= set.StartsWith("via-host ", StringComparison.Ordinal);
            var sets = kernel.Rules.TryGetValue(tag, out var existing) ? existing : kernel.Rules[tag] = [];
            sets.RemoveAll(s => s.Split(' ')[0] == set.Split(' ')[0]);
            sets.Add(set);
        });

        private static readonly string[] NatTables = ["ip azure-cni", "ip6 azure-cni"];
        private static string TunnelContainer(string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
            $"tunnel-container {master} {hostVeth} {string.Join(",", addresses)}";

        private static string BridgeContainer(string master, ReadOnlySpan<byte> mac, IReadOnlyList<IPAddress> addresses) =>
            $"bridge-container {master} {Convert.ToHexString(mac)} {string.Join(",", addresses)}";

        private static string PortMappings(IReadOnlyList<NfPortMapping> mappings) =>
            "port-mappings " + string.Join(",", mappings.Select(m => $"{m.Protocol}:{m.HostPort}->{m.ContainerAddress}:{m.ContainerPort}"));
    }
}
