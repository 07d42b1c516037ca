using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>An HCN namespace (a network compartment); containerd passes its ID as CNI_NETNS.</summary>
[CniJsonObject]
public sealed partial class HostComputeNamespace
{
    [JsonName("ID")]
    public string? Id { get; set; }

    [JsonName("NamespaceId")]
    public uint? NamespaceId { get; set; }

    /// <summary>"Host", "HostDefault", "Guest" or "GuestDefault".</summary>
    [JsonName("Type")]
    public string? Type { get; set; }

    [JsonName("Resources")]
    public List<NamespaceResource>? Resources { get; set; }

    [JsonName("SchemaVersion")]
    public SchemaVersion? SchemaVersion { get; set; }

    [JsonName("ReadyOnCreate")]
    public bool? ReadyOnCreate { get; set; }
}
