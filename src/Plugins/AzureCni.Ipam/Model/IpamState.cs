using AzureCni.Json;

namespace AzureCni.Ipam.Model;

/// <summary>
/// Everything azure-vnet-ipam persists in azure-vnet-ipam.json: the pools with their address records,
/// and per source what it listed and when it was last asked (for the rate limiter). Several networks
/// may share the file with different sources; each allocates only from the subnets its source lists.
/// </summary>
[CniJsonObject]
public sealed partial class IpamState
{
    public const int CurrentVersion = 1;

    /// <summary>The file format; 0 (absent) marks a file that is not azure-vnet-ipam state.</summary>
    public int Version { get; set; }

    /// <summary>Bumped on every release; a record keeps the value of its last release so the least recently used address goes out first.</summary>
    public long Sequence { get; set; }

    public List<SourceStatus> Sources { get; set; } = [];

    public List<AddressPool> Pools { get; set; } = [];

    /// <summary>
    /// When and how the state was rebuilt from a damaged file; kept until the first ordinary write of another
    /// command, STATUS reports it meanwhile. Absent otherwise.
    /// </summary>
    public string? Recovered { get; set; }

    public SourceStatus? FindSource(string identity)
    {
        foreach (var source in Sources)
        {
            if (string.Equals(source.Identity, identity, StringComparison.Ordinal))
                return source;
        }

        return null;
    }

    public SourceStatus GetOrAddSource(string identity)
    {
        var source = FindSource(identity);
        if (source is null)
        {
            source = new SourceStatus { Identity = identity };
            Sources.Add(source);
        }

        return source;
    }

    public int InUseCount()
    {
        int count = 0;
        foreach (var pool in Pools)
        {
            foreach (var record in pool.Addresses)
            {
                if (record.InUse)
                    count++;
            }
        }

        return count;
    }
}

/// <summary>One source of pools, e.g. "azure http://168.63.129.16/..." or "file /etc/kubernetes/interfaces.json".</summary>
[CniJsonObject]
public sealed partial class SourceStatus
{
    public string Identity { get; set; } = "";

    /// <summary>True once a query succeeded: <see cref="Subnets"/> is then its listing.</summary>
    public bool Listed { get; set; }

    /// <summary>Unix time (ms) of the last query of a remote source, successful or not.</summary>
    public long LastQuery { get; set; }

    /// <summary>Why the last query failed; null after a successful one. STATUS reports it.</summary>
    public string? Error { get; set; }

    /// <summary>The subnets (pool keys) the last successful query listed: the pools this source allocates from.</summary>
    public List<string> Subnets { get; set; } = [];
}
