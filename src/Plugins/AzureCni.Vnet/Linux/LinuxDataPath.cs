using System.Globalization;
using System.Net.NetworkInformation;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Files;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.DataPath;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.Linux.Recovery;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// azure-vnet's Linux data path: a veth per attachment, its far end in the container, its host end routed
/// (<see cref="TransparentEndpoint"/>) or bridged (<see cref="BridgeEndpoint"/>). The kernel is the given
/// <see cref="ILinuxKernel"/>: rtnetlink in the node's namespace (the calling thread's) and the container's
/// (CNI_NETNS), nf_tables, two sysctls; nothing here starts a process.
/// </summary>
internal sealed class LinuxDataPath(AzureVnetPlugin.Command command, ILinuxKernel kernel) : IVnetDataPath
{
    private readonly CniRequest _request = command.Request;
    private readonly VnetConfig _config = command.Config;
    private readonly LinuxContext _context = new(kernel, StoreOf(command, kernel), command.Fail, command.Log);

    // DEL: the state could not be read or written (a newer release's file, an I/O error); the kernel decides alone.
    private bool _stateUnusable;

    // Opened by Claim for Attach.
    private IContainerNamespace? _container;
    private IRouteNetlinkOps? _host;
    private IRouteNetlinkOps? _inside;
    private NetworkRecord? _network;
    private IEndpointMode? _mode;
    private string _hostVeth = "";

    private EndpointStore Store => _context.Store;

    // Only bridge mode routes addresses via the host; upstream's other modes ignore the field.
    private IReadOnlyList<System.Net.IPAddress> ViaHost => _mode?.Mode == VnetMode.Bridge ? _config.IpsToRouteViaHost : [];

    public void Claim()
    {
        var state = Store.Read();
        BridgeNode.CompleteUnfinished(_context, state);
        _network = state.FindNetwork(_config.Network);
        VnetMode mode = _network is null ? _config.Mode : EndpointModes.Parse(_network.Mode);
        if (mode != _config.Mode)
            _context.Log.Warning("network {Network} was created in {Mode} mode; the config's mode is ignored", [_config.Network, _network!.Mode]);
        _mode = EndpointModes.For(mode, _context);

        if (!kernel.TryOpenNamespace(_request.Netns, out _container))
            throw new CniException(CniErrorCode.InvalidNetNS, $"azure-vnet: cannot open network namespace \"{_request.Netns}\"");
        _host = kernel.OpenNode();
        _inside = _container.OpenRouteNetlink();
        if (_inside.TryGetLink(_request.IfName, out var existing))
        {
            if (!PodInterface.IsLeftover(_host, existing, state))
                throw Exists();
            _context.Log.Information("replacing leftover interface {IfName} in {Netns}", [_request.IfName, _request.Netns]);
            _inside.DeleteLink(existing.Index, missingOk: true);
        }

        _hostVeth = HostNames.HostVeth(_request);
        if (state.FindEndpoint(_config.Network, _request.ContainerId, _request.IfName) is not null)
            throw Exists();
    }

    /// <summary>
    /// Write-ahead: the attachment owns its host objects and addresses in the state before the first of them exists,
    /// so a DEL or GC after a kill at any point finds what to remove.
    /// </summary>
    private void Own(List<IPNetworkAddress> addresses, LinkInfo master, LinkInfo? bridge, bool portMappings, UndoStack undo)
    {
        Store.Update(s =>
        {
            if (s.FindEndpoint(_config.Network, _request.ContainerId, _request.IfName) is not null)
                throw Exists();
            s.Endpoints.Add(new EndpointRecord
            {
                Network = _config.Network, ContainerId = _request.ContainerId, IfName = _request.IfName, Mode = _mode!.Name,
                HostIfName = _hostVeth, Netns = _request.Netns, Pending = true, Addresses = addresses.ConvertAll(a => a.ToString()),
                Master = master.Name, Bridge = bridge?.Name ?? "", PortMappings = portMappings,
                IpsToRouteViaHost = ViaHost.Count > 0 ? ViaHost.ConvertAll(a => a.ToString()) : null,
                PodNamespace = _request.PodNamespace, PodName = _request.PodName, Created = DateTime.UtcNow.ToString("s", CultureInfo.InvariantCulture) + "Z",
            });
            return true;
        }, StateDurability.WriteAhead);
        undo.Push("state entry", () => Store.Update(s => s.RemoveEndpoint(_config.Network, _request.ContainerId, _request.IfName)));
    }

    public CniResult Attach(CniResult ipamResult, UndoStack undo)
    {
        var (host, inside, mode) = (_host!, _inside!, _mode!);
        var addresses = ipamResult.Ips.ConvertAll(ip => ip.Address);
        var (master, bridge) = SetUpNode(host, mode, addresses[0].Network);
        var mappings = PortMappings.Of(_request, addresses);
        Own(addresses, master, bridge, mappings.Count > 0, undo);

        _context.Fail.At("veth");
        RemoveLeftoverVeth(host);
        try
        {
            host.AddVethPair(_hostVeth, _request.IfName, _container!, mode.HostMac, master.Mtu);
        }
        catch (NetlinkException e) when (e.IsAlreadyExists && inside.TryGetLink(_request.IfName, out _))
        {
            throw Exists();
        }

        undo.Push("veth " + _hostVeth, () => host.DeleteLink(_hostVeth, missingOk: true));
        var hostLink = host.GetLink(_hostVeth);
        var containerLink = inside.GetLink(_request.IfName);
        PhysicalAddress containerMac = containerLink.MacAddress
            ?? throw new CniException(CniErrorCode.Runtime, $"azure-vnet: {_request.IfName} has no MAC address");
        if (bridge is not null)
            host.SetLinkMaster(hostLink.Index, bridge.Index);
        if (IPNetworkAddress.AnyIPv6(addresses))
        {
            // Node-wide and never turned off again, as upstream (and as host-check leaves IPv4's ip_forward).
            kernel.EnableIPv6Forwarding();
            _container!.PrepareIPv6(_request.IfName);
        }

        host.SetLinkUp(hostLink.Index);
        inside.SetLinkUp(containerLink.Index);

        string tag = RuleTag.Attachment(_request.ContainerId, _request.IfName);
        var endpoint = new NewEndpoint(host, inside, master, bridge, hostLink, containerLink)
        {
            ContainerMac = containerMac, Addresses = addresses, Tag = tag, ViaHost = ViaHost,
            Key = new EndpointKey(_config.Network, _request.ContainerId, _request.IfName),
        };
        var routing = mode.Attach(endpoint, ipamResult, undo);

        if (mappings.Count > 0)
        {
            _context.Fail.At("port-mappings");
            _context.ApplyPortMappings(tag, mappings);
            undo.Push("port mappings", () => _context.DeletePortMappings(tag));
        }

        _context.Fail.At("endpoint-state");
        Store.Update(s =>
        {
            var record = s.FindEndpoint(_config.Network, _request.ContainerId, _request.IfName)
                ?? throw new CniException(CniErrorCode.Runtime, "azure-vnet: the endpoint's state entry vanished during ADD (a concurrent DEL or GC?)");
            record.Master = master.Name;
            record.Bridge = bridge?.Name ?? "";
            record.Mac = LinuxContext.Mac(containerMac);
            record.Addresses = addresses.ConvertAll(a => a.ToString());
            record.Gateway = routing.Gateway?.ToString();
            record.PortMappings = mappings.Count > 0;
            record.Pending = false;
            return true;
        });

        return VnetResult.Build(_request,
            new CniInterface { Name = hostLink.Name, Mac = LinuxContext.Mac(hostLink.MacAddress) },
            new CniInterface { Name = _request.IfName, Mac = LinuxContext.Mac(containerMac), Sandbox = _request.Netns },
            ipamResult, routing);
    }

    private (LinkInfo Master, LinkInfo? Bridge) SetUpNode(IRouteNetlinkOps host, IEndpointMode mode, System.Net.IPNetwork subnet)
    {
        if (_network is not null)
            return SetUpNode(host, mode, _network, subnet, holdsSetupLock: false);

        // The network's first ADDs: finding the master and moving its addresses happen one ADD at a time, or a
        // concurrent ADD could take the half-built bridge for the master.
        using var setupLock = Store.LockNetworkSetup();
        var network = Store.Read().FindNetwork(_config.Network);
        var (master, bridge) = SetUpNode(host, mode, network, subnet, holdsSetupLock: true);
        if (network is null)
            SaveNetwork(mode, master, bridge);
        return (master, bridge);
    }

    private (LinkInfo Master, LinkInfo? Bridge) SetUpNode(IRouteNetlinkOps host, IEndpointMode mode, NetworkRecord? network, System.Net.IPNetwork subnet, bool holdsSetupLock)
    {
        var master = MasterInterface.Find(host, network?.Master ?? _config.Master, subnet);
        string? bridgeName = network?.Bridge is { Length: > 0 } b ? b : _config.Bridge;
        var bridge = mode.SetUpNode(host, master, bridgeName, holdsSetupLock);
        return bridge is null ? (master, null) : (host.GetLink(master.Index), bridge);
    }

    private void SaveNetwork(IEndpointMode mode, LinkInfo master, LinkInfo? bridge) =>
        Store.Update(s =>
        {
            if (s.FindNetwork(_config.Network) is null)
            {
                s.Networks.Add(new NetworkRecord
                {
                    Name = _config.Network, Mode = mode.Name, Master = master.Name, Bridge = bridge?.Name ?? "",
                    MasterMac = LinuxContext.Mac(master.MacAddress),
                });
            }

            return true;
        });

    /// <summary>A host veth of this name that no live attachment owns is a leftover (an earlier ADD of this attachment): it goes.</summary>
    private void RemoveLeftoverVeth(IRouteNetlinkOps host)
    {
        if (!host.TryGetLink(_hostVeth, out _))
            return;

        var owner = Store.Read().Endpoints.Find(e => e.HostIfName == _hostVeth
            && !(e.Network == _config.Network && e.ContainerId == _request.ContainerId && e.IfName == _request.IfName));
        if (owner is not null)
        {
            throw new CniException(CniErrorCode.Runtime,
                $"azure-vnet: host interface {_hostVeth} belongs to container {owner.ContainerId} interface {owner.IfName}");
        }

        _context.Log.Information("removing leftover host interface {HostIf}", [_hostVeth]);
        host.DeleteLink(_hostVeth, missingOk: true);
    }

    public void Detach()
    {
        VnetState? state = null;
        try
        {
            state = Store.Read();
        }
        catch (CniException e) when (e.Code == CniErrorCode.IOFailure)
        {
            // A DEL never waits on the state file: the attachment's objects have names the kernel finds.
            _context.Log.Warning("DEL without azure-vnet's state ({Reason}); removing what the kernel shows of {Container}/{IfName}", [e.Message, _request.ContainerId, _request.IfName]);
            _stateUnusable = true;
        }

        if (state is not null)
            BridgeNode.CompleteUnfinished(_context, state);
        var record = state?.FindEndpoint(_config.Network, _request.ContainerId, _request.IfName);
        if (record is null)
        {
            // No state entry (a DEL repeated, of an ADD that never ran, or a state that could not tell): the host
            // veth's name is the attachment's, the kernel says the rest.
            var seed = new EndpointRecord
            {
                Network = _config.Network, ContainerId = _request.ContainerId, IfName = _request.IfName,
                HostIfName = HostNames.HostVeth(_request), Netns = _request.Netns, PortMappings = true,
            };
            bool found;
            using (var host = kernel.OpenNode())
                found = KernelEndpoint.TryComplete(kernel, host, seed);
            if (!found)
            {
                _context.DeleteRules(RuleTag.Attachment(_request.ContainerId, _request.IfName));
                return;
            }

            record = seed;
        }

        Teardown(_context, record);
        PodInterface.Deconfigure(kernel, _request.Netns, _request.IfName, record.Mac);
    }

    public void Forget()
    {
        if (_stateUnusable)
            return;

        // A rebuilt state may hold the attachment's veth as an endpoint of unknown owner.
        string hostVeth = HostNames.HostVeth(_request);
        Store.Update(s => s.RemoveEndpoint(_config.Network, _request.ContainerId, _request.IfName)
            | s.Endpoints.RemoveAll(e => e.ContainerId.Length == 0 && e.HostIfName == hostVeth) > 0);
    }

    private static EndpointStore StoreOf(AzureVnetPlugin.Command command, ILinuxKernel kernel)
    {
        var environment = command.Request.Environment;
        var rebuild = new VnetStateRebuild(kernel, PluginPaths.CniCacheDir(environment), command.Config.Network);
        return new EndpointStore(PluginPaths.StateDir(environment)) { Rebuild = rebuild.Fill, Environment = environment };
    }

    /// <summary>Removes an attachment's host objects but its veth (GC's job, or the namespace's); each already gone is success.</summary>
    internal static void Teardown(LinuxContext context, EndpointRecord record)
    {
        using var host = context.Kernel.OpenNode();
        var addresses = LinuxContext.Addresses(record);
        LinkInfo? hostLink = null;
        if (record.HostIfName.Length > 0)
            host.TryGetLink(record.HostIfName, out hostLink);

        var mode = EndpointModes.For(EndpointModes.Parse(record.Mode), context);
        mode.Detach(host, record, hostLink, addresses);
        string tag = RuleTag.Attachment(record.ContainerId, record.IfName);
        if (record.PortMappings || mode.HasRules)
        {
            int removed = record.PortMappings ? context.DeletePortMappings(tag) : context.DeleteRules(tag);
            context.Log.Debug("removed {Count} rules of {Container}/{IfName}", [removed, record.ContainerId, record.IfName]);
        }
    }

    public void Check() => new EndpointCheck(_context, _request, _config).Run();

    public string? Status()
    {
        var state = Store.Read();
        BridgeNode.CompleteUnfinished(_context, state);
        return state.Recovered;
    }

    public void GarbageCollect() => new LinuxGarbageCollector(_context, _request, _config).Run();

    public void Dispose()
    {
        _inside?.Dispose();
        _host?.Dispose();
        _container?.Dispose();
    }

    private CniException Exists() =>
        new(CniErrorCode.Runtime, $"azure-vnet: container {_request.ContainerId} already has interface {_request.IfName} on network {_config.Network}",
            "a second ADD for the same container and interface; DEL it first");
}
