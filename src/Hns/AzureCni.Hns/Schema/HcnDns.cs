using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The "Dns" object of a v2 network or endpoint.</summary>
[CniJsonObject]
public sealed partial class HcnDns
{
    [JsonName("Suffix")]
    public string? Suffix { get; set; }

    [JsonName("Search")]
    public List<string>? Search { get; set; }

    [JsonName("ServerList")]
    public List<string>? ServerList { get; set; }

    [JsonName("Options")]
    public List<string>? Options { get; set; }
}
