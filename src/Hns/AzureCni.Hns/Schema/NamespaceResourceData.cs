using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The "Data" of a <see cref="NamespaceResource"/>: the attached object's ID.</summary>
[CniJsonObject]
public sealed partial class NamespaceResourceData
{
    [JsonName("ID")]
    public string? Id { get; set; }
}
