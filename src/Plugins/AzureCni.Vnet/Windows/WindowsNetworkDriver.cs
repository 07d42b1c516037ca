using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Hns;
using AzureCni.Hns.Schema;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Windows;

/// <summary>
/// The Windows data path of azure-vnet: one l2bridge HNS network per config name (created on the first
/// ADD, then reused, never deleted) and one endpoint per container named "&lt;container ID[:8]&gt;-&lt;ifname&gt;".
/// A CNI_NETNS that is a GUID is an HCN namespace (containerd) and takes the HCN v2 path; anything else
/// (dockershim's "none" or "container:&lt;id&gt;") takes the HNS v1 path, where the endpoint is hot-attached
/// to the container. Every HNS call is bounded by windowsSettings.hnsTimeoutDurationInSeconds; a call that
/// times out answers code 11 (try again later) after the ADD's partial work is undone.
/// Every attachment has an entry in azure-vnet.json (<paramref name="store"/>, as on Linux), written before the
/// first HNS call of its ADD and removed by DEL and GC.
/// </summary>
public sealed partial class WindowsNetworkDriver(IHostNetworkService service, EndpointStore store)
{
    /// <summary>The HNS call timeout when the config sets none.</summary>
    public static readonly TimeSpan DefaultHnsTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The driver over this host's HNS, keeping its state in <paramref name="store"/>.</summary>
    [SupportedOSPlatform("windows")]
    public static WindowsNetworkDriver ForHost(EndpointStore store) => new(new HostNetworkService(), store);

    /// <summary>
    /// ADD: makes sure the network exists, replaces any endpoint left by an earlier attempt, creates the
    /// endpoint with <paramref name="ipamResult"/>'s addresses and attaches it. Returns the CNI result.
    /// </summary>
    public CniResult Add(WindowsNetworkConfig config, CniRequest request, CniResult ipamResult)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ipamResult);
        if (ipamResult.Ips.Count == 0)
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "IPAM returned no address for the endpoint.");

        WindowsDns dns = WindowsDns.Resolve(config, request.PodNamespace);
        var session = new Session(service, config);
        EndpointRecord record = RecordPending(config, request, ipamResult);
        try
        {
            CniResult result = session.Guard("ADD", () => TryParseNamespace(request.Netns, out Guid namespaceId)
                ? AddHcn(session, request, ipamResult, dns, namespaceId, record)
                : AddHnsV1(session, request, ipamResult, dns, record));
            record.Mac = result.Interfaces[0].Mac ?? "";
            RecordAdded(record);
            return result;
        }
        catch
        {
            // The HNS work was undone (or is left to the next ADD or GC, which find it by name).
            Forget(record);
            throw;
        }
    }

    /// <summary>
    /// DEL: detaches and deletes the container's endpoint; succeeds when it is already gone. Returns the
    /// addresses the endpoint had, for the caller to release from IPAM (empty when there was no endpoint).
    /// </summary>
    public IReadOnlyList<IPAddress> Delete(WindowsNetworkConfig config, CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        var session = new Session(service, config);
        IReadOnlyList<IPAddress> released = session.GuardRemoval("DEL", () => TryParseNamespace(request.Netns, out Guid namespaceId)
            ? DeleteHcn(session, request, namespaceId)
            : DeleteHnsV1(session, request));
        Forget(config.Name, request.ContainerId, request.IfName);
        return released;
    }

    /// <summary>
    /// CHECK: the attachment has a completed entry in the state, the network exists, and the endpoint the entry
    /// names exists on it and is attached where the request says.
    /// </summary>
    public void Check(WindowsNetworkConfig config, CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        EndpointRecord record = RecordedEndpoint(config, request);
        var session = new Session(service, config);
        session.Guard("CHECK", () =>
        {
            if (TryParseNamespace(request.Netns, out Guid namespaceId))
                CheckHcn(session, request, namespaceId, record);
            else
                CheckHnsV1(session, request, record);
            return true;
        });
    }

    /// <summary>
    /// GC: deletes the endpoints this plugin made on the config's network (named by <see cref="EndpointName"/>,
    /// not remote) that belong to no attachment in the request's valid-attachments list, and the state entries
    /// of those attachments. Returns the deleted endpoints' addresses.
    /// </summary>
    public IReadOnlyList<IPAddress> GarbageCollect(WindowsNetworkConfig config, CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        var keep = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (GcAttachment attachment in request.ValidAttachments)
        {
            if (attachment.ContainerId is { } containerId && attachment.IfName is { } ifName)
                keep.Add(EndpointName(containerId, ifName));
        }

        var session = new Session(service, config);
        IReadOnlyList<IPAddress> released = session.GuardRemoval("GC", () => GarbageCollect(session, keep));
        ForgetAllBut(config.Name, request);
        return released;
    }

    /// <summary>
    /// STATUS: HNS answers a query for the config's network (absent is fine: the first ADD creates it). A host without
    /// HNS answers code 50 here, as every ADD would.
    /// </summary>
    public void Status(WindowsNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var session = new Session(service, config);
        session.Guard("STATUS", () => session.Hcn.GetNetworkByName(config.Name));
    }

    /// <summary>The endpoint name: the first 8 characters of the container ID, a dash, the interface name.</summary>
    public static string EndpointName(string containerId, string ifName)
        => (containerId.Length > 8 ? containerId[..8] : containerId) + "-" + ifName;

    /// <summary>True when CNI_NETNS names an HCN namespace (a GUID, as containerd passes it).</summary>
    public static bool TryParseNamespace(string? netns, out Guid namespaceId) => Guid.TryParse(netns, out namespaceId);

    private static IPAddress[] PodAddresses(CniResult ipamResult) => [.. ipamResult.Ips.Select(ip => ip.Address.Address)];

    // One invocation's view of HNS: the service wrapped in the config's timeout, and the error mapping.
    private sealed class Session
    {
        public Session(IHostNetworkService service, WindowsNetworkConfig config)
        {
            Config = config;
            int seconds = config.WindowsSettings?.HnsTimeoutDurationInSeconds ?? 0;
            Hns = new TimeoutHostNetworkService(service, seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultHnsTimeout);
            Hcn = new HcnClient(Hns);
            V1 = new HnsV1Client(Hns);
        }

        /// <summary>The network config the command runs with.</summary>
        public WindowsNetworkConfig Config { get; }

        public TimeoutHostNetworkService Hns { get; }

        public HcnClient Hcn { get; }

        public HnsV1Client V1 { get; }

        /// <summary>Runs a command; an HNS failure becomes a CNI error, a timeout code 11.</summary>
        public T Guard<T>(string command, Func<T> body)
        {
            try
            {
                return body();
            }
            catch (HnsException e) when (e.IsTimeout)
            {
                throw new CniException(CniErrorCode.TryAgainLater, $"{command}: HNS did not answer in time; try again later.", e.Message, e);
            }
            catch (HnsException e) when (e.IsUnavailable)
            {
                // Windows without the Containers feature. Code 50, the spec's "plugin not available" (cannot service
                // ADD): a state of the host that no retry changes, so not 11 (the runtime would retry forever), and
                // named, not the generic 100, so the operator learns the remedy. HNS made nothing: nothing to undo.
                throw new CniException(CniErrorCode.PluginNotAvailable,
                    $"{command}: the Host Networking Service is not available on this host ({e.Message}): install the Windows Containers feature and restart",
                    inner: e);
            }
            catch (HnsException e)
            {
                throw new CniException(CniErrorCode.Runtime, $"{command}: {e.Message}", e.ErrorRecord, e);
            }
        }

        /// <summary>
        /// Runs a DEL or GC: without HNS on the host no endpoint of ours can exist, so there is nothing to remove and
        /// the command goes on (IPAM release, state entries) instead of failing for good.
        /// </summary>
        public IReadOnlyList<IPAddress> GuardRemoval(string command, Func<IReadOnlyList<IPAddress>> body) => Guard(command, () =>
        {
            try
            {
                return body();
            }
            catch (HnsException e) when (e.IsUnavailable)
            {
                return [];
            }
        });

        /// <summary>
        /// Undoes part of a failed ADD, step by step (a step that fails does not stop the next): waits (bounded)
        /// for timed-out calls first, so as not to race them. Never throws.
        /// </summary>
        public void Undo(params ReadOnlySpan<Action> steps)
        {
            Hns.WaitForAbandonedCalls(Hns.Timeout);
            foreach (Action step in steps)
            {
                try
                {
                    step();
                }
                catch (HnsException)
                {
                    // The next ADD for this container replaces what is left, and GC removes it otherwise.
                }
            }
        }
    }

    // The network, shared by both paths: found by name, else created from the IPAM result's subnets.
    private static HostComputeNetwork EnsureNetwork(Session session, CniResult ipamResult)
    {
        WindowsNetworkConfig config = session.Config;
        if (session.Hcn.GetNetworkByName(config.Name) is { } existing)
            return existing;
        try
        {
            return session.Hcn.CreateNetwork(BuildNetwork(config, ipamResult));
        }
        catch (HnsException e) when (e.IsAlreadyExists && session.Hcn.GetNetworkByName(config.Name) is not null)
        {
            // A concurrent ADD made it first.
            return session.Hcn.GetNetworkByName(config.Name)!;
        }
    }

    internal static HostComputeNetwork BuildNetwork(WindowsNetworkConfig config, CniResult ipamResult)
    {
        var subnets = new List<Subnet>();
        foreach (CniIPConfig ip in ipamResult.Ips)
        {
            var subnet = new Subnet { IpAddressPrefix = MaskedPrefix(ip.Address) };
            if (ip.Gateway is { } gateway)
                subnet.Routes = [new Route { NextHop = gateway.ToString(), DestinationPrefix = DefaultRoute(gateway) }];
            if (!subnets.Exists(s => s.IpAddressPrefix == subnet.IpAddressPrefix))
                subnets.Add(subnet);
        }

        var network = new HostComputeNetwork
        {
            Name = config.Name,
            Type = NetworkTypes.L2Bridge,
            Flags = NetworkFlags.EnableNonPersistent,
            Ipams = [new Hns.Schema.Ipam { Type = Hns.Schema.Ipam.StaticType, Subnets = subnets }],
            SchemaVersion = SchemaVersion.V2,
        };
        if (AdapterName(config) is { } adapter)
            network.Policies = [NetworkPolicy.NetAdapterName(adapter)];
        return network;
    }

    // The adapter override, else the master; HNS rejects a vSwitch adapter ("vEthernet (...)"), so such a name is not sent.
    private static string? AdapterName(WindowsNetworkConfig config)
    {
        string? name = string.IsNullOrEmpty(config.AdapterName) ? config.Master : config.AdapterName;
        return string.IsNullOrEmpty(name) || name.StartsWith("vEthernet", StringComparison.OrdinalIgnoreCase) ? null : name;
    }

    private static string MaskedPrefix(IPNetworkAddress address)
        => new IPNetwork(Mask(address.Address, address.PrefixLength), address.PrefixLength).ToString();

    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    private static string DefaultRoute(IPAddress gateway)
        => gateway.AddressFamily == AddressFamily.InterNetworkV6 ? "::/0" : "0.0.0.0/0";

    private static CniResult BuildResult(CniRequest request, CniResult ipamResult, string? hnsMac, WindowsDns dns)
    {
        var result = new CniResult();
        result.Interfaces.Add(new CniInterface { Name = request.IfName, Mac = FormatMac(hnsMac), Sandbox = request.Netns });
        foreach (CniIPConfig ip in ipamResult.Ips)
            result.Ips.Add(new CniIPConfig { Address = ip.Address, Gateway = ip.Gateway, Interface = 0 });
        result.Routes.AddRange(ipamResult.Routes);
        var resultDns = new CniDns();
        resultDns.Nameservers.AddRange(dns.Servers);
        resultDns.Search.AddRange(dns.Search);
        resultDns.Options.AddRange(dns.Options);
        result.Dns = resultDns;
        return result;
    }

    // HNS writes MACs as 00-15-5D-AA-BB-CC; CNI results use 00:15:5d:aa:bb:cc.
    internal static string? FormatMac(string? hnsMac)
        => string.IsNullOrEmpty(hnsMac) ? null : hnsMac.Replace('-', ':').ToLowerInvariant();
}
