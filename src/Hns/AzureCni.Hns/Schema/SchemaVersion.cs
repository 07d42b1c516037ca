using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The HCN document schema version; every v2 document this library sends says 2.0.</summary>
[CniJsonObject]
public sealed partial class SchemaVersion
{
    [JsonName("Major")]
    public uint Major { get; set; }

    [JsonName("Minor")]
    public uint Minor { get; set; }

    /// <summary>A new 2.0 version object (documents are mutable, so each gets its own).</summary>
    public static SchemaVersion V2 => new() { Major = 2, Minor = 0 };
}
