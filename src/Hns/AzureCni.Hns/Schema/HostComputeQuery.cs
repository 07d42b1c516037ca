using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The query document of HcnEnumerate* and HcnQuery*Properties.</summary>
[CniJsonObject]
public sealed partial class HostComputeQuery
{
    [JsonName("SchemaVersion")]
    public SchemaVersion SchemaVersion { get; set; } = SchemaVersion.V2;

    /// <summary>0 for the standard properties, 1 for all of them.</summary>
    [JsonName("Flags")]
    public uint? Flags { get; set; }

    /// <summary>A JSON object, as a string, whose members the results must equal: {"Name":"azure"}.</summary>
    [JsonName("Filter")]
    public string? Filter { get; set; }
}
