using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>The config's "dns" object (spelled "Nameservers", "Search" in shipped configs; read case-insensitively).</summary>
[CniJsonObject]
public sealed partial class WindowsDnsConfig
{
    public List<string>? Nameservers { get; set; }

    public string? Domain { get; set; }

    public List<string>? Search { get; set; }

    public List<string>? Options { get; set; }
}
