using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Metrics;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.State;

namespace AzureCni.Ipam.Show;

/// <summary>The pools' counts for the metrics file, read as `show` reads them (lock-free, whole file).</summary>
public static class PoolGauges
{
    public static IReadOnlyList<PoolGauge> Read(CniRequest request) => Of(new IpamStore(PluginPaths.StateDir(request.Environment)).Load());

    public static IReadOnlyList<PoolGauge> Of(IpamState state) =>
        PoolSummary.Of(state).ConvertAll(p => new PoolGauge(p.Subnet, p.Total, p.InUse, p.Free));
}
