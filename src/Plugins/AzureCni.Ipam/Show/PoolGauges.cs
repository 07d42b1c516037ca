using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Metrics;
using AzureCni.Ipam.State;

namespace AzureCni.Ipam.Show;

/// <summary>The pools' counts for the metrics file, read as `show` reads them (lock-free, whole file).</summary>
public static class PoolGauges
{
    public static IReadOnlyList<PoolGauge> Read(CniRequest request) =>
        PoolSummary.Of(new IpamStore(PluginPaths.StateDir(request.Environment)).Load())
            .Select(p => new PoolGauge(p.Subnet, p.Total, p.InUse, p.Free))
            .ToList();
}
