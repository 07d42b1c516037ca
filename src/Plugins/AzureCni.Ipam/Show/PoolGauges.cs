using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Metrics;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.State;

namespace AzureCni.Ipam.Show;

/// <summary>The pools' counts for the metrics file, read as `show` reads them (lock-free, whole file).</summary>
public static class PoolGauges
{
    public static PoolGauge[] Read(CniRequest request) => Of(new IpamStore(PluginPaths.StateDir(request.Environment)).Load());

    /// <summary>One array and nothing else allocated: a metered call runs this after its own work, and in a process this
    /// short each new 8 KB of heap the GC hands out is a fresh page the kernel faults in.</summary>
    public static PoolGauge[] Of(IpamState state)
    {
        var gauges = new PoolGauge[state.Pools.Count];
        for (int i = 0; i < gauges.Length; i++)
        {
            var pool = state.Pools[i];
            var counts = pool.Count();
            gauges[i] = new PoolGauge(pool.Subnet, pool.Addresses.Count, counts.InUse, counts.Free);
        }

        return gauges;
    }
}
