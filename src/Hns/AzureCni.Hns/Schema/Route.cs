using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>A route of a subnet or of an endpoint.</summary>
[CniJsonObject]
public sealed partial class Route
{
    [JsonName("NextHop")]
    public string? NextHop { get; set; }

    [JsonName("DestinationPrefix")]
    public string? DestinationPrefix { get; set; }

    [JsonName("Metric")]
    public ushort? Metric { get; set; }
}
