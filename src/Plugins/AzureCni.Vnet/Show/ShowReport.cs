using AzureCni.Ipam.Show;
using AzureCni.Json;

namespace AzureCni.Vnet.Show;

/// <summary>`azure-vnet show --json`: what the plugins hold on this node and what the kernel disagrees with.</summary>
[CniJsonObject]
public sealed partial class ShowReport
{
    public List<ShownEndpoint> Endpoints { get; set; } = [];

    public List<PoolSummary> Pools { get; set; } = [];

    public List<ShownProblem> Problems { get; set; } = [];

    public bool Consistent { get; set; }

    /// <summary>What to do about the problems; absent when consistent.</summary>
    public string? Fix { get; set; }
}

/// <summary>One endpoint (attachment) of azure-vnet's state.</summary>
[CniJsonObject]
public sealed partial class ShownEndpoint
{
    public string Network { get; set; } = "";

    public string PodNamespace { get; set; } = "";

    public string PodName { get; set; } = "";

    [JsonName("containerID")]
    public string ContainerId { get; set; } = "";

    public string IfName { get; set; } = "";

    public string Mode { get; set; } = "";

    public List<string> Addresses { get; set; } = [];

    public string HostLink { get; set; } = "";

    public string Created { get; set; } = "";

    /// <summary>An ADD in flight, or one killed before it finished (GC or DEL removes it).</summary>
    public bool Pending { get; set; }
}

/// <summary>One disagreement between the state and the kernel.</summary>
[CniJsonObject]
public sealed partial class ShownProblem
{
    /// <summary>missing-host-link, missing-host-route, leaked-host-link, leaked-host-route, orphaned-reservation.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The link name, route destination or address concerned.</summary>
    public string Object { get; set; } = "";

    /// <summary>The attachment (container ID/ifname) it belongs or belonged to; "" when none.</summary>
    public string Owner { get; set; } = "";

    public string Detail { get; set; } = "";

    /// <summary>True when a GC through the runtime removes it (`--gc-dry-run` lists these).</summary>
    public bool RemovedByGc { get; set; }
}
