using AzureCni.Json;

namespace AzureCni.Hns.Schema.V1;

/// <summary>
/// The HcsModifyComputeSystem document that hot-attaches (or detaches) an HNS v1 endpoint to a
/// running container: {"ResourceType":"Network","RequestType":"Add","Settings":"&lt;endpoint id&gt;"}.
/// </summary>
[CniJsonObject]
public sealed partial class ResourceModificationRequest
{
    public const string NetworkResource = "Network";
    public const string AddRequest = "Add";
    public const string RemoveRequest = "Remove";

    [JsonName("ResourceType")]
    public string ResourceType { get; set; } = NetworkResource;

    [JsonName("RequestType")]
    public string RequestType { get; set; } = AddRequest;

    /// <summary>The endpoint ID.</summary>
    [JsonName("Settings")]
    public string? Settings { get; set; }
}
