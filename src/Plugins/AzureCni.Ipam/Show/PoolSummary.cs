using AzureCni.Ipam.Model;
using AzureCni.Json;

namespace AzureCni.Ipam.Show;

/// <summary>One pool as `show` prints it: the subnet, the source listing it, and its address counts.</summary>
[CniJsonObject]
public sealed partial class PoolSummary
{
    public string Subnet { get; set; } = "";

    /// <summary>The identity of the source whose last listing holds the subnet; "" when none does (a left-over pool).</summary>
    public string Source { get; set; } = "";

    public int Total { get; set; }

    public int InUse { get; set; }

    public int Free { get; set; }

    /// <summary>Addresses the source no longer lists (dropped once free).</summary>
    public int Stale { get; set; }

    public static List<PoolSummary> Of(IpamState state)
    {
        var pools = new List<PoolSummary>(state.Pools.Count);
        foreach (var pool in state.Pools)
        {
            var counts = pool.Count();
            var summary = new PoolSummary { Subnet = pool.Subnet, Total = pool.Addresses.Count, InUse = counts.InUse, Free = counts.Free, Stale = counts.Stale };

            summary.Source = state.Sources.Find(s => s.Subnets.Contains(pool.Subnet))?.Identity ?? "";
            pools.Add(summary);
        }

        return pools;
    }
}
