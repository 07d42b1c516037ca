using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The "Settings" of a namespace endpoint attach or detach request.</summary>
[CniJsonObject]
public sealed partial class NamespaceEndpointSettings
{
    [JsonName("EndpointId")]
    public string? EndpointId { get; set; }
}
