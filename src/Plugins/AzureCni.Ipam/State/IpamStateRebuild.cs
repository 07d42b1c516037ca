using System.Globalization;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Files;
using AzureCni.Cni.Recovery;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Model;
using AzureCni.Json;

namespace AzureCni.Ipam.State;

/// <summary>
/// azure-vnet-ipam's reservations rebuilt when its state file is unreadable: every address libcni's result cache
/// shows for an attachment of azure-vnet or of azure-vnet-ipam, and every address of azure-vnet's endpoints, is
/// reserved again for its owner (an endpoint of unknown owner keeps its address under an empty owner, released by
/// GC), in a pool of the prefix the result gave it. Pools and sources are not rebuilt: the next call merges the
/// source's listing around the reservations (a listed pool of another prefix adopts them, see PoolMerger), so an
/// address in use is never handed out again and the free ones come back.
/// </summary>
public sealed class IpamStateRebuild(string cacheDir, string vnetStatePath, IFilePrimitives files)
{
    public const string VnetPluginType = "azure-vnet";

    /// <summary>Fills <paramref name="state"/>; returns what it found, for the log line and STATUS.</summary>
    public string Fill(IpamState state)
    {
        var cached = ResultCache.Read(cacheDir, out int skipped)
            .FindAll(e => e.PluginTypes.Contains(VnetPluginType) || e.IpamTypes.Contains(IpamStore.PluginName));
        int fromCache = 0;
        foreach (var entry in cached)
        {
            foreach (var ip in entry.Result.Ips)
            {
                if (Reserve(state, ip.Address, ip.Gateway?.ToString(), entry.Network, entry.ContainerId, entry.IfName))
                    fromCache++;
            }
        }

        int fromEndpoints = 0;
        string endpoints = "";
        try
        {
            foreach (var endpoint in ReadVnetEndpoints())
            {
                foreach (string text in endpoint.Addresses ?? [])
                {
                    if (IPNetworkAddress.TryParse(text, out var address)
                        && Reserve(state, address, null, endpoint.Network ?? "", endpoint.ContainerId ?? "", endpoint.IfName ?? ""))
                        fromEndpoints++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            endpoints = $" ({vnetStatePath} unreadable: {e.Message})";
        }

        foreach (var pool in state.Pools)
            pool.Addresses.SortStable(static (a, b) => IPText.Compare(System.Net.IPAddress.Parse(a.Address), System.Net.IPAddress.Parse(b.Address)));

        return string.Create(CultureInfo.InvariantCulture,
            $"{state.InUseCount()} reservations: {fromCache} from {cached.Count} entries of the result cache {cacheDir} ({skipped} unreadable), {fromEndpoints} more from azure-vnet's endpoints in {vnetStatePath}{endpoints}");
    }

    // The first owner seen keeps an address; a second one is the same attachment seen twice, or a conflict the
    // runtime must resolve, never a reason to free it.
    private static bool Reserve(IpamState state, IPNetworkAddress address, string? gateway, string network, string containerId, string ifName)
    {
        string subnet = address.Network.ToString();
        var pool = state.Pools.Find(p => string.Equals(p.Subnet, subnet, StringComparison.Ordinal));
        if (pool is null)
        {
            pool = new AddressPool { Subnet = subnet, Gateway = gateway ?? IPText.FirstHost(address.Network).ToString() };
            state.Pools.Add(pool);
        }

        string text = address.Address.ToString();
        if (pool.Find(text) is not null)
            return false;

        pool.Addresses.Add(new AddressRecord { Address = text, Network = network, ContainerId = containerId, IfName = ifName });
        return true;
    }

    // As azure-vnet reads its file: through the journal, which has a file a power cut tore back whole.
    private List<VnetEndpointView> ReadVnetEndpoints() =>
        files.ReadState(vnetStatePath) is { } bytes ? CniJson.Parse<VnetStateView>(bytes).Endpoints ?? [] : [];

    /// <summary>The rebuild for a state directory and an invocation's environment (this process's when null).</summary>
    public static IpamStateRebuild For(string stateDir, IReadOnlyDictionary<string, string>? environment, IFilePrimitives files) =>
        new(environment is null ? PluginPaths.CniCacheDirOfProcess() : PluginPaths.CniCacheDir(environment),
            Path.Combine(stateDir, PluginPaths.StateFileName(VnetPluginType)), files);
}

/// <summary>azure-vnet.json as far as a rebuild of the IPAM reads it (azure-vnet's own type lives above this library).</summary>
[CniJsonObject]
internal sealed partial class VnetStateView
{
    public List<VnetEndpointView>? Endpoints { get; set; }
}

[CniJsonObject]
internal sealed partial class VnetEndpointView
{
    public string? Network { get; set; }

    [JsonName("containerID")]
    public string? ContainerId { get; set; }

    public string? IfName { get; set; }

    public List<string>? Addresses { get; set; }
}
