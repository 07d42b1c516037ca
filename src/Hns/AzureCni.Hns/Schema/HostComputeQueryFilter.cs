using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The members a <see cref="HostComputeQuery"/> can filter on.</summary>
[CniJsonObject]
public sealed partial class HostComputeQueryFilter
{
    [JsonName("ID")]
    public string? Id { get; set; }

    [JsonName("Name")]
    public string? Name { get; set; }
}
