using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>Something attached to a namespace: {"Type": "Endpoint" | "Container", "Data": {"ID": "..."}}.</summary>
[CniJsonObject]
public sealed partial class NamespaceResource
{
    public const string EndpointType = "Endpoint";
    public const string ContainerType = "Container";

    [JsonName("Type")]
    public string Type { get; set; } = "";

    [JsonName("Data")]
    public NamespaceResourceData? Data { get; set; }
}
