namespace AzureCni.Cni;

/// <summary>One plugin invocation, validated by the host. (Skeleton by the lead; the CNI core completes it.)</summary>
public sealed class CniRequest
{
    public required CniCommand Command { get; init; }
    public string ContainerId { get; init; } = "";
    public string Netns { get; init; } = "";
    public string IfName { get; init; } = "";
    public string CniPath { get; init; } = "";

    /// <summary>The network config exactly as read from stdin.</summary>
    public ReadOnlyMemory<byte> StdinData { get; init; }

    public string CniVersion { get; init; } = "";
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";

    /// <summary>K8S_POD_NAMESPACE from CNI_ARGS, if present.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>K8S_POD_NAME from CNI_ARGS, if present.</summary>
    public string? PodName { get; init; }
}

public enum CniCommand
{
    Add,
    Del,
    Check,
    Gc,
    Status,
    Version,
}
