using AzureCni.Json;

namespace AzureCni.Ipam.Model;

/// <summary>
/// Everything azure-vnet-ipam persists in azure-vnet-ipam.json: the pools with their address records,
/// plus what the rate limiter needs (which source produced them and when it was last asked).
/// </summary>
[CniJsonObject]
public sealed partial class IpamState
{
    public const int CurrentVersion = 1;

    /// <summary>The file format; 0 (absent) marks a file that is not azure-vnet-ipam state.</summary>
    public int Version { get; set; }

    /// <summary>The source the pools came from, e.g. "azure http://168.63.129.16/..."; null before the first successful query.</summary>
    public string? Source { get; set; }

    /// <summary>Unix time (ms) of the last query of a remote source, successful or not.</summary>
    public long LastQuery { get; set; }

    /// <summary>Why the last query of the source failed; null after a successful one. STATUS reports it.</summary>
    public string? SourceError { get; set; }

    /// <summary>Bumped on every release; a record keeps the value of its last release so the least recently used address goes out first.</summary>
    public long Sequence { get; set; }

    public List<AddressPool> Pools { get; set; } = [];

    public bool HasFreeAddress()
    {
        foreach (var pool in Pools)
        {
            if (pool.FreeCount() > 0)
            {
                return true;
            }
        }

        return false;
    }

    public int InUseCount()
    {
        int count = 0;
        foreach (var pool in Pools)
        {
            foreach (var record in pool.Addresses)
            {
                if (record.InUse)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
