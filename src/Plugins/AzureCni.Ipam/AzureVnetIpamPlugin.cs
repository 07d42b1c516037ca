using System.Net;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Show;
using AzureCni.Ipam.State;

namespace AzureCni.Ipam;

/// <summary>
/// azure-vnet-ipam: hands out addresses the Azure fabric (or interfaces.json, or a local subnet) lists
/// for this host. Usable as the IPAM of any CNI plugin; azure-vnet may call <see cref="AddressManager"/>
/// in-process instead.
/// </summary>
public sealed class AzureVnetIpamPlugin(AddressManager manager) : ICniPlugin
{
    public AzureVnetIpamPlugin()
        : this(new AddressManager(IpamStore.FromEnvironment()))
    {
    }

    public string Name => IpamStore.PluginName;

    public AddressManager Manager => manager;

    public CniResult Add(CniRequest request)
    {
        var config = IpamConfig.From(request.Config);
        var leases = manager.ReserveAll(config, request.Name, request.ContainerId, request.IfName);
        ReportPools(request);
        return ToResult(leases);
    }

    public void Delete(CniRequest request)
    {
        var config = IpamConfig.From(request.Config);
        manager.Release(config, request.Name, request.ContainerId, request.IfName);
        ReportPools(request);
    }

    public void Check(CniRequest request)
    {
        var config = IpamConfig.From(request.Config);
        var held = manager.FindAll(request.Name, request.ContainerId, request.IfName);
        if (held.Count == 0)
        {
            throw new CniException(CniErrorCode.Runtime,
                $"no address is reserved for container {request.ContainerId} interface {request.IfName}");
        }

        var addresses = new List<string>(held.Count);
        foreach (var found in held)
            addresses.Add(found.Record.Address);
        if (!string.IsNullOrEmpty(config.IpAddress)
            && IPAddress.TryParse(config.IpAddress, out var wanted)
            && !addresses.ContainsOrdinal(wanted.ToString()))
        {
            throw new CniException(CniErrorCode.Runtime,
                $"container {request.ContainerId} interface {request.IfName} holds {string.Join(", ", addresses)}, not {config.IpAddress}");
        }

        foreach (var found in held)
        {
            if (found.Record.Stale)
            {
                throw new CniException(CniErrorCode.Runtime,
                    $"address {found.Record.Address} of container {request.ContainerId} is no longer listed by the address source");
            }
        }
    }

    public void GarbageCollect(CniRequest request)
    {
        IpamConfig.From(request.Config);
        if (!request.HasValidAttachments)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "GC needs cni.dev/valid-attachments in the config; without it every address would be released");
        }

        manager.Collect(request.Name, request.ValidAttachments);
        ReportPools(request);
    }

    /// <summary>The pools' counts for the metrics, from the state this call held (no second read of the file).</summary>
    private void ReportPools(CniRequest request)
    {
        if (manager.HeldState is { } state)
            request.PoolGauges = () => PoolGauges.Of(state);
    }

    public void Status(CniRequest request) => manager.CheckReady(IpamConfig.From(request.Config));

    /// <summary>The abbreviated IPAM result: the address with its gateway, a default route via it, and DNS.</summary>
    public static CniResult ToResult(IpamLease lease) => ToResult([lease]);

    /// <summary>
    /// The abbreviated IPAM result of one ADD: each address (both families on a dual-stack node) with its gateway, a
    /// default route of its family via that gateway (0.0.0.0/0, ::/0), and DNS.
    /// </summary>
    public static CniResult ToResult(IReadOnlyList<IpamLease> leases)
    {
        var result = new CniResult();
        foreach (var lease in leases)
        {
            result.Ips.Add(new CniIPConfig
            {
                Address = new IPNetworkAddress(lease.Address, lease.PrefixLength),
                Gateway = lease.Gateway,
            });
        }

        foreach (var lease in leases)
        {
            bool v4 = lease.Address.AddressFamily == AddressFamily.InterNetwork;
            result.Routes.Add(new CniRoute
            {
                Destination = new IPNetwork(v4 ? IPAddress.Any : IPAddress.IPv6Any, 0),
                Gateway = lease.Gateway,
            });
        }

        foreach (string server in leases[0].Nameservers)
        {
            result.Dns.Nameservers.Add(server);
        }

        return result;
    }
}
