using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The HcnModifyNamespace document that attaches an endpoint to a namespace or detaches it.</summary>
[CniJsonObject]
public sealed partial class ModifyNamespaceSettingRequest
{
    public const string AddRequest = "Add";
    public const string RemoveRequest = "Remove";

    /// <summary>"Endpoint" (or "Container").</summary>
    [JsonName("ResourceType")]
    public string ResourceType { get; set; } = NamespaceResource.EndpointType;

    /// <summary>"Add" or "Remove".</summary>
    [JsonName("RequestType")]
    public string RequestType { get; set; } = AddRequest;

    [JsonName("Settings")]
    public NamespaceEndpointSettings? Settings { get; set; }

    public static ModifyNamespaceSettingRequest AttachEndpoint(Guid endpointId) => new()
    {
        RequestType = AddRequest,
        Settings = new NamespaceEndpointSettings { EndpointId = HcnIds.Format(endpointId) },
    };

    public static ModifyNamespaceSettingRequest DetachEndpoint(Guid endpointId) => new()
    {
        RequestType = RemoveRequest,
        Settings = new NamespaceEndpointSettings { EndpointId = HcnIds.Format(endpointId) },
    };
}
