namespace AzureCni.Cni.Metrics;

/// <summary>One IPAM pool's address counts, as the metrics file reports them.</summary>
public readonly record struct PoolGauge(string Subnet, int Total, int InUse, int Free);
