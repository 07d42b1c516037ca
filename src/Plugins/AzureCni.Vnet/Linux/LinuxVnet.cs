using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Ipam;
using AzureCni.Vnet.State;
using Serilog;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// azure-vnet's Linux data path, one command per call. The rtnetlink socket is opened in the calling thread's
/// namespace (the node's), the container's through CNI_NETNS; nothing here starts a process.
/// </summary>
internal sealed class LinuxVnet(VnetConfig config, CniRequest request, ILogger log)
{
    private readonly EndpointStore _store = EndpointStore.From(request.Environment);
    private readonly FailurePoints _fail = new(request.Environment);
    private readonly IpamBackend _ipam = IpamBackend.For(config, request);

    private string Tag => HostNames.RuleTag(request.ContainerId, request.IfName);

    public CniResult Add()
    {
        var state = _store.Read();
        var network = state.FindNetwork(config.Network);
        VnetMode mode = network is null ? config.Mode : ParseMode(network.Mode);
        if (mode != config.Mode)
        {
            log.Warning("network {Network} was created in {Mode} mode; the config's mode is ignored", config.Network, network!.Mode);
        }

        using var container = OpenNetns(request.Netns);
        using var host = RouteNetlink.Open();
        using var inside = RouteNetlink.Open(container);
        if (inside.TryGetLink(request.IfName, out var existing))
        {
            if (!PodInterface.IsLeftover(host, existing, state))
            {
                throw Exists();
            }

            log.Information("replacing leftover interface {IfName} in {Netns}", request.IfName, request.Netns);
            inside.DeleteLink(existing.Index, missingOk: true);
        }

        string hostVeth = HostNames.HostVeth(request);
        using var undo = new UndoStack(log);

        // Write-ahead: the attachment owns its host objects in the state before the first of them exists.
        _store.Update(s =>
        {
            if (s.FindEndpoint(config.Network, request.ContainerId, request.IfName) is not null)
            {
                throw Exists();
            }

            s.Endpoints.Add(new EndpointRecord
            {
                Network = config.Network, ContainerId = request.ContainerId, IfName = request.IfName, Mode = ModeName(mode),
                HostIfName = hostVeth, Netns = request.Netns, Pending = true,
                PodNamespace = request.PodNamespace, PodName = request.PodName, Created = DateTime.UtcNow.ToString("s", CultureInfo.InvariantCulture) + "Z",
            });
            return true;
        });
        undo.Push("state entry", () => _store.Update(s => s.RemoveEndpoint(config.Network, request.ContainerId, request.IfName)));

        _fail.At("ipam");
        CniResult ipamResult = _ipam.Add(request);
        undo.Push("IPAM reservation", () => _ipam.Delete(request));
        if (ipamResult.Ips.Count == 0)
        {
            throw new CniException(CniErrorCode.Runtime, $"azure-vnet: IPAM ({config.IpamType}) returned no address");
        }

        var addresses = ipamResult.Ips.Select(ip => ip.Address).ToList();
        LinkInfo master;
        LinkInfo? bridge = null;
        if (network is null)
        {
            // The network's first ADDs: finding the master and moving its addresses happen one ADD at a time, or a
            // concurrent ADD could take the half-built bridge for the master.
            using var setupLock = _store.LockNetworkSetup();
            network = _store.Read().FindNetwork(config.Network);
            (master, bridge) = SetUpNode(host, network, mode, addresses[0].Network, holdsSetupLock: true);
            if (network is null)
            {
                SaveNetwork(mode, master, bridge);
            }
        }
        else
        {
            (master, bridge) = SetUpNode(host, network, mode, addresses[0].Network, holdsSetupLock: false);
        }

        _fail.At("veth");
        RemoveLeftoverVeth(host, hostVeth);
        try
        {
            host.AddVethPair(hostVeth, request.IfName, container,
                macAddress: mode == VnetMode.Transparent ? TransparentEndpoint.HostMac : null, mtu: master.Mtu);
        }
        catch (NetlinkException e) when (e.IsAlreadyExists && inside.TryGetLink(request.IfName, out _))
        {
            throw Exists();
        }

        undo.Push("veth " + hostVeth, () => host.DeleteLink(hostVeth, missingOk: true));
        var hostLink = host.GetLink(hostVeth);
        var containerLink = inside.GetLink(request.IfName);
        PhysicalAddress containerMac = containerLink.MacAddress
            ?? throw new CniException(CniErrorCode.Runtime, $"azure-vnet: {request.IfName} has no MAC address");

        if (mode == VnetMode.Bridge)
        {
            host.SetLinkMaster(hostLink.Index, bridge!.Index);
        }

        host.SetLinkUp(hostLink.Index);
        inside.SetLinkUp(containerLink.Index);
        List<CniRoute> routes;
        IPAddress? gateway;
        if (mode == VnetMode.Transparent)
        {
            TransparentEndpoint.AddHostSide(host, hostLink, addresses, undo, _fail);
            TransparentEndpoint.AddContainerSide(inside, containerLink, addresses, _fail);
            gateway = TransparentEndpoint.VirtualGateway;
            routes = [new CniRoute { Destination = new IPNetwork(IPAddress.Any, 0), Gateway = gateway }];
        }
        else
        {
            (gateway, routes) = AddBridgeEndpoint(host, inside, master, bridge!, hostLink, containerLink, containerMac, addresses, ipamResult, undo);
        }

        var mappings = PortMappings(addresses);
        if (mappings.Count > 0)
        {
            _fail.At("port-mappings");
            using var nft = NfTablesClient.Open();
            AzureCniRules.ApplyPortMappings(nft, Tag, mappings);
            undo.Push("port mappings", () => DeleteRules(Tag));
        }

        _fail.At("endpoint-state");
        _store.Update(s =>
        {
            var record = s.FindEndpoint(config.Network, request.ContainerId, request.IfName)
                ?? throw new CniException(CniErrorCode.Runtime, "azure-vnet: the endpoint's state entry vanished during ADD (a concurrent DEL or GC?)");
            record.Master = master.Name;
            record.Bridge = bridge?.Name ?? "";
            record.Mac = Mac(containerMac);
            record.Addresses = addresses.Select(a => a.ToString()).ToList();
            record.Gateway = gateway?.ToString();
            record.PortMappings = mappings.Count > 0;
            record.Pending = false;
            return true;
        });
        undo.Commit();

        return BuildResult(hostLink, containerMac, ipamResult, gateway, routes);
    }

    private (LinkInfo Master, LinkInfo? Bridge) SetUpNode(RouteNetlink host, NetworkRecord? network, VnetMode mode, IPNetwork subnet, bool holdsSetupLock)
    {
        var master = FindMaster(host, network, subnet);
        if (mode != VnetMode.Bridge)
        {
            return (master, null);
        }

        string bridgeName = network?.Bridge is { Length: > 0 } b ? b : config.Bridge ?? HostNames.DefaultBridge(master.Index);
        var bridge = BridgeNode.Ensure(host, master, bridgeName, _store, _fail, log, holdsSetupLock);
        return (host.GetLink(master.Index), bridge);
    }

    private (IPAddress? Gateway, List<CniRoute> Routes) AddBridgeEndpoint(RouteNetlink host, RouteNetlink inside, LinkInfo master, LinkInfo bridge,
        LinkInfo hostLink, LinkInfo containerLink, PhysicalAddress containerMac, List<IPNetworkAddress> addresses, CniResult ipamResult, UndoStack undo)
    {
        host.SetBridgePortHairpin(hostLink.Index, true);
        BridgeNode.TrySysctl(() => Sysctl.SetAcceptRouterAdvertisements(hostLink.Name, 0));

        _fail.At("container-address");
        foreach (var address in addresses)
        {
            inside.AddAddress(containerLink.Index, address.Address, address.PrefixLength, noDad: address.Address.AddressFamily == AddressFamily.InterNetworkV6);
        }

        _fail.At("container-routes");
        var routes = new List<CniRoute>(ipamResult.Routes);
        IPAddress? gateway = ipamResult.Ips.Select(ip => ip.Gateway).FirstOrDefault(g => g is not null);
        if (routes.Count == 0 && gateway is not null)
        {
            routes.Add(new CniRoute { Destination = new IPNetwork(gateway.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), Gateway = gateway });
        }

        foreach (var route in routes)
        {
            try
            {
                inside.AddRoute(new RouteEntry
                {
                    Destination = route.Destination.PrefixLength == 0 ? null : route.Destination.BaseAddress,
                    DestinationPrefixLength = route.Destination.PrefixLength,
                    Gateway = route.Gateway,
                    OutputInterfaceIndex = containerLink.Index,
                    Protocol = RouteProtocol.Static,
                    Family = route.Destination.BaseAddress.AddressFamily,
                });
            }
            catch (NetlinkException e) when (e.IsAlreadyExists)
            {
            }
        }

        _fail.At("bridge-neighbor");
        foreach (var address in addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork))
        {
            host.ReplaceNeighbor(bridge.Index, address.Address, containerMac, NeighborState.Permanent);
            undo.Push("neighbour " + address.Address, () => host.DeleteNeighbor(bridge.Index, address.Address, missingOk: true));
        }

        _fail.At("container-rules");
        using (var nft = NfTablesClient.Open())
        {
            AzureCniRules.ApplyBridgeContainer(nft, Tag, master.Name, containerMac.GetAddressBytes(), addresses.Select(a => a.Address).ToList());
        }

        undo.Push("container rules", () => DeleteRules(Tag));
        return (gateway, routes);
    }

    public void Delete()
    {
        var state = _store.Read();
        var record = state.FindEndpoint(config.Network, request.ContainerId, request.IfName);
        if (record is not null)
        {
            Teardown(record);
            PodInterface.Deconfigure(request.Netns, request.IfName, record.Mac);
        }
        else
        {
            // No state entry (a DEL repeated, or of an ADD that never ran): rules are the only host objects a name finds.
            DeleteRules(Tag);
        }

        _ipam.Delete(request);
        _store.Update(s => s.RemoveEndpoint(config.Network, request.ContainerId, request.IfName));
    }

    /// <summary>Removes an attachment's host objects but its veth (GC's job, or the namespace's); each already gone is success.</summary>
    private void Teardown(EndpointRecord record)
    {
        using var host = RouteNetlink.Open();
        var addresses = ParseAddresses(record);
        LinkInfo? hostLink = null;
        if (record.HostIfName.Length > 0)
        {
            host.TryGetLink(record.HostIfName, out hostLink);
        }

        if (record.Mode == ModeName(VnetMode.Transparent))
        {
            if (hostLink is not null)
            {
                foreach (var address in addresses)
                {
                    host.DeleteRoute(TransparentEndpoint.HostRoute(address.Address, hostLink.Index), missingOk: true);
                }
            }
        }
        else if (record.Bridge.Length > 0 && host.TryGetLink(record.Bridge, out var bridge))
        {
            foreach (var address in addresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork))
            {
                host.DeleteNeighbor(bridge.Index, address.Address, missingOk: true);
            }
        }

        if (record.Mode == ModeName(VnetMode.Bridge) || record.PortMappings)
        {
            int removed = DeleteRules(HostNames.RuleTag(record.ContainerId, record.IfName));
            log.Debug("removed {Count} rules of {Container}/{IfName}", removed, record.ContainerId, record.IfName);
        }
    }

    public void Check()
    {
        var state = _store.Read();
        var record = state.FindEndpoint(config.Network, request.ContainerId, request.IfName);
        if (record is null || record.Pending)
        {
            throw Missing($"no endpoint for container {request.ContainerId} interface {request.IfName} on network {config.Network}");
        }

        var addresses = ParseAddresses(record);
        bool transparent = record.Mode == ModeName(VnetMode.Transparent);
        using var host = RouteNetlink.Open();
        if (!host.TryGetLink(record.HostIfName, out var hostLink))
        {
            throw Missing($"host interface {record.HostIfName} missing");
        }

        if (!NetworkNamespace.TryOpen(request.Netns, out var container))
        {
            throw Missing($"network namespace {request.Netns} missing");
        }

        using (container)
        using (var inside = RouteNetlink.Open(container))
        {
            if (!inside.TryGetLink(request.IfName, out var link))
            {
                throw Missing($"container interface {request.IfName} missing in {request.Netns}");
            }

            if (!link.IsUp)
            {
                throw Missing($"container interface {request.IfName} is down");
            }

            if (!string.Equals(Mac(link.MacAddress), record.Mac, StringComparison.Ordinal))
            {
                throw Missing($"container interface {request.IfName} has MAC {Mac(link.MacAddress)}, expected {record.Mac}");
            }

            var present = inside.ListAddresses(link.Index);
            foreach (var address in addresses)
            {
                if (!present.Any(p => p.Address.Equals(address.Address) && p.PrefixLength == address.PrefixLength))
                {
                    throw Missing($"address {address} missing on container interface {request.IfName}");
                }
            }

            var routes = inside.ListRoutes(AddressFamily.InterNetwork);
            IPAddress? gateway = record.Gateway is { } g ? IPAddress.Parse(g) : null;
            if (transparent && !routes.Any(r => r.OutputInterfaceIndex == link.Index && r.Gateway is null
                    && TransparentEndpoint.VirtualGateway.Equals(r.Destination) && r.DestinationPrefixLength == 32))
            {
                throw Missing($"container route {TransparentEndpoint.VirtualGateway}/32 dev {request.IfName} missing");
            }

            if (gateway is not null && gateway.AddressFamily == AddressFamily.InterNetwork
                && !routes.Any(r => r.Destination is null && r.DestinationPrefixLength == 0 && gateway.Equals(r.Gateway) && r.OutputInterfaceIndex == link.Index))
            {
                throw Missing($"container default route via {gateway} dev {request.IfName} missing");
            }
        }

        if (transparent)
        {
            var hostRoutes = host.ListRoutes(AddressFamily.InterNetwork).Concat(host.ListRoutes(AddressFamily.InterNetworkV6)).ToList();
            foreach (var address in addresses)
            {
                int length = address.Address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                if (!hostRoutes.Any(r => address.Address.Equals(r.Destination) && r.DestinationPrefixLength == length && r.OutputInterfaceIndex == hostLink.Index))
                {
                    throw Missing($"host route {address.Address}/{length.ToString(CultureInfo.InvariantCulture)} via {record.HostIfName} missing");
                }
            }
        }
        else
        {
            if (!host.TryGetLink(record.Bridge, out var bridge) || hostLink.MasterIndex != bridge.Index)
            {
                throw Missing($"host interface {record.HostIfName} is not a port of bridge {record.Bridge}");
            }

            using var nft = NfTablesClient.Open();
            if (!AzureCniRules.HasBridgeContainer(nft, Tag, record.Master, PhysicalAddress.Parse(record.Mac.Replace(':', '-')).GetAddressBytes(), addresses.Select(a => a.Address).ToList()))
            {
                throw Missing($"layer-2 rules {Tag} for {string.Join(", ", addresses)} missing");
            }
        }

        var mappings = PortMappings(addresses);
        if (mappings.Count > 0)
        {
            using var nft = NfTablesClient.Open();
            if (!AzureCniRules.HasPortMappings(nft, Tag, mappings))
            {
                throw Missing($"port-mapping rules {Tag} missing");
            }
        }

        _ipam.Check(request);
    }

    public void GarbageCollect()
    {
        if (request.Config.ValidAttachments is null && request.Config.LegacyAttachments is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "azure-vnet: GC needs cni.dev/valid-attachments in the config; without it every attachment would be removed");
        }

        var state = _store.Read();
        foreach (var record in state.Endpoints.Where(e => e.Network == config.Network && !request.IsValidAttachment(e.ContainerId, e.IfName)).ToList())
        {
            log.Information("GC: removing endpoint {Container}/{IfName} ({HostIf})", record.ContainerId, record.IfName, record.HostIfName);
            Teardown(record);
            _store.Update(s => s.RemoveEndpoint(record.Network, record.ContainerId, record.IfName));
        }

        // Veths no state entry owns, those of the attachments just removed and those DEL left in a namespace that was
        // never deleted included. An ADD writes its entry before it creates anything, so reading the state
        // after listing the kernel's objects sees the owner of every object listed, in-flight ADDs included.
        using (var host = RouteNetlink.Open())
        {
            var veths = host.ListLinks().Where(l => l.Name.StartsWith(HostNames.VethPrefix, StringComparison.Ordinal) && l.Kind == "veth").ToList();
            state = _store.Read();
            foreach (var link in veths.Where(l => !state.Endpoints.Exists(e => e.HostIfName == l.Name)))
            {
                log.Information("GC: removing leftover veth {HostIf}", link.Name);
                host.DeleteLink(link.Index, missingOk: true);
            }
        }

        using (var nft = NfTablesClient.Open())
        {
            var tags = AzureCniRules.ListTags(nft);
            state = _store.Read();
            foreach (string tag in tags)
            {
                if (TryParseTag(tag, out string containerId, out string ifName)
                    && !state.Endpoints.Exists(e => e.ContainerId == containerId && e.IfName == ifName)
                    && !request.IsValidAttachment(containerId, ifName))
                {
                    log.Information("GC: removing leftover rules {Tag}", tag);
                    AzureCniRules.Delete(nft, tag);
                }
            }
        }

        _ipam.GarbageCollect(request);
    }

    public void Status() => _ipam.Status(request);

    private LinkInfo FindMaster(RouteNetlink host, NetworkRecord? network, IPNetwork subnet)
    {
        string? name = network?.Master ?? config.Master;
        if (name is not null)
        {
            return host.TryGetLink(name, out var named) ? named
                : throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: master interface {name} not found");
        }

        foreach (var address in host.ListAddresses())
        {
            if (subnet.Contains(address.Address) && host.TryGetLink(address.InterfaceIndex, out var holder) && holder.Name != "lo")
            {
                if (holder.Kind != "bridge")
                {
                    return holder;
                }

                // Bridge mode already set up (its state lost): the master is the bridge's port that is not a pod veth.
                var port = host.ListLinks().FirstOrDefault(l => l.MasterIndex == holder.Index && l.Kind != "veth");
                if (port is not null)
                {
                    return port;
                }
            }
        }

        // The IPAM subnet may be a local pod subnet that no NIC holds: the NIC of the default route then.
        var defaultRoute = host.ListRoutes(subnet.BaseAddress.AddressFamily).FirstOrDefault(r => r.Destination is null && r.OutputInterfaceIndex is not null);
        if (defaultRoute is not null && host.TryGetLink(defaultRoute.OutputInterfaceIndex!.Value, out var viaDefault))
        {
            return viaDefault;
        }

        throw new CniException(CniErrorCode.InvalidNetworkConfig,
            $"azure-vnet: no interface holds an address in {subnet} and there is no default route; set \"master\" in the config");
    }

    private void SaveNetwork(VnetMode mode, LinkInfo master, LinkInfo? bridge) =>
        _store.Update(s =>
        {
            if (s.FindNetwork(config.Network) is null)
            {
                s.Networks.Add(new NetworkRecord
                {
                    Name = config.Network, Mode = ModeName(mode), Master = master.Name, Bridge = bridge?.Name ?? "",
                    MasterMac = Mac(master.MacAddress),
                });
            }

            return true;
        });

    /// <summary>A host veth of this name that no live attachment owns is a leftover (an earlier ADD of this attachment): it goes.</summary>
    private void RemoveLeftoverVeth(RouteNetlink host, string hostVeth)
    {
        if (!host.TryGetLink(hostVeth, out _))
        {
            return;
        }

        var owner = _store.Read().Endpoints.Find(e => e.HostIfName == hostVeth
            && !(e.Network == config.Network && e.ContainerId == request.ContainerId && e.IfName == request.IfName));
        if (owner is not null)
        {
            throw new CniException(CniErrorCode.Runtime,
                $"azure-vnet: host interface {hostVeth} belongs to container {owner.ContainerId} interface {owner.IfName}");
        }

        log.Information("removing leftover host interface {HostIf}", hostVeth);
        host.DeleteLink(hostVeth, missingOk: true);
    }

    private List<NfPortMapping> PortMappings(List<IPNetworkAddress> addresses)
    {
        var result = new List<NfPortMapping>();
        foreach (var m in request.Config.RuntimeConfig?.PortMappings ?? [])
        {
            ProtocolType protocol = (m.Protocol ?? "tcp").ToLowerInvariant() switch
            {
                "tcp" or "" => ProtocolType.Tcp,
                "udp" => ProtocolType.Udp,
                _ => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: port mapping protocol \"{m.Protocol}\" is not tcp or udp"),
            };
            if (m.HostPort is < 1 or > 65535 || m.ContainerPort is < 1 or > 65535)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"azure-vnet: port mapping {m.HostPort.ToString(CultureInfo.InvariantCulture)}->{m.ContainerPort.ToString(CultureInfo.InvariantCulture)} is out of range");
            }

            IPAddress? hostIp = null;
            if (!string.IsNullOrEmpty(m.HostIp) && !IPAddress.TryParse(m.HostIp, out hostIp))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: port mapping hostIP \"{m.HostIp}\" is not an address");
            }

            foreach (var address in addresses)
            {
                if (hostIp is null || hostIp.AddressFamily == address.Address.AddressFamily)
                {
                    result.Add(new NfPortMapping((ushort)m.HostPort, (ushort)m.ContainerPort, protocol, address.Address, hostIp));
                }
            }
        }

        return result;
    }

    private CniResult BuildResult(LinkInfo hostLink, PhysicalAddress containerMac, CniResult ipamResult, IPAddress? gateway, List<CniRoute> routes)
    {
        var result = new CniResult();
        result.Interfaces.Add(new CniInterface { Name = hostLink.Name, Mac = Mac(hostLink.MacAddress) });
        result.Interfaces.Add(new CniInterface { Name = request.IfName, Mac = Mac(containerMac), Sandbox = request.Netns });
        foreach (var ip in ipamResult.Ips)
        {
            bool sameFamily = gateway is not null && gateway.AddressFamily == ip.Address.Address.AddressFamily;
            result.Ips.Add(new CniIPConfig { Address = ip.Address, Gateway = sameFamily ? gateway : ip.Gateway, Interface = 1 });
        }

        result.Routes.AddRange(routes);
        result.Dns = ResultDns(ipamResult.Dns);
        return result;
    }

    /// <summary>runtimeConfig.dns over the config's dns over the IPAM's, field by field.</summary>
    private CniDns ResultDns(CniDns ipamDns)
    {
        var dns = new CniDns();
        var configDns = request.Config.Dns;
        var runtimeDns = request.Config.RuntimeConfig?.Dns;
        dns.Nameservers.AddRange(First(runtimeDns?.Servers, configDns?.Nameservers, ipamDns.Nameservers));
        dns.Search.AddRange(First(runtimeDns?.Searches, configDns?.Search, ipamDns.Search));
        dns.Options.AddRange(First(runtimeDns?.Options, configDns?.Options, ipamDns.Options));
        dns.Domain = !string.IsNullOrEmpty(configDns?.Domain) ? configDns.Domain : ipamDns.Domain;
        return dns;

        static List<string> First(List<string>? a, List<string>? b, List<string> c) => a is { Count: > 0 } ? a : b is { Count: > 0 } ? b : c;
    }

    private int DeleteRules(string tag)
    {
        using var nft = NfTablesClient.Open();
        return AzureCniRules.Delete(nft, tag);
    }

    private static NetworkNamespace OpenNetns(string path)
    {
        if (string.IsNullOrEmpty(path) || !NetworkNamespace.TryOpen(path, out var ns))
        {
            throw new CniException(CniErrorCode.InvalidNetNS, $"azure-vnet: cannot open network namespace \"{path}\"");
        }

        return ns;
    }

    private static bool TryParseTag(string tag, out string containerId, out string ifName)
    {
        containerId = ifName = "";
        const string prefix = "azcni:";
        if (!tag.StartsWith(prefix, StringComparison.Ordinal) || tag.StartsWith("azcni:node:", StringComparison.Ordinal))
        {
            return false;
        }

        int colon = tag.LastIndexOf(':');
        if (colon <= prefix.Length)
        {
            return false;
        }

        containerId = tag[prefix.Length..colon];
        ifName = tag[(colon + 1)..];
        return true;
    }

    private static List<IPNetworkAddress> ParseAddresses(EndpointRecord record)
    {
        var list = new List<IPNetworkAddress>(record.Addresses.Count);
        foreach (string text in record.Addresses)
        {
            if (IPNetworkAddress.TryParse(text, out var address))
            {
                list.Add(address);
            }
        }

        return list;
    }

    private CniException Exists() =>
        new(CniErrorCode.Runtime, $"azure-vnet: container {request.ContainerId} already has interface {request.IfName} on network {config.Network}",
            "a second ADD for the same container and interface; DEL it first");

    private static CniException Missing(string what) => new(CniErrorCode.Runtime, "azure-vnet CHECK: " + what);

    internal static string ModeName(VnetMode mode) => mode == VnetMode.Transparent ? "transparent" : "bridge";

    private static VnetMode ParseMode(string mode) => mode == "transparent" ? VnetMode.Transparent : VnetMode.Bridge;

    internal static string Mac(PhysicalAddress? mac) =>
        mac is null ? "" : string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
