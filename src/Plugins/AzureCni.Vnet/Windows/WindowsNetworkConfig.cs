using AzureCni.Cni.Types;
using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>
/// The azure-vnet config members the Windows data path reads. "dns" and "runtimeConfig" use the CNI core's
/// types; AdditionalArgs, windowsSettings and adapterName are Windows-only and defined here.
/// </summary>
[CniJsonObject]
public sealed partial class WindowsNetworkConfig
{
    /// <summary>The network name: the HNS network is named after it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The host adapter; the network binds to it when <see cref="AdapterName"/> is empty.</summary>
    public string? Master { get; set; }

    /// <summary>Overrides the host adapter the HNS network binds to.</summary>
    public string? AdapterName { get; set; }

    /// <summary>HNS policies: entries named EndpointPolicy or NetworkPolicy whose value is the policy's JSON.</summary>
    [JsonName("AdditionalArgs")]
    public List<AdditionalArg>? AdditionalArgs { get; set; }

    public WindowsSettings? WindowsSettings { get; set; }

    /// <summary>The endpoint DNS ("Nameservers", "Search" in shipped configs; read case-insensitively).</summary>
    public DnsDoc? Dns { get; set; }

    /// <summary>portMappings and dns, when the runtime passes those capabilities.</summary>
    public RuntimeConfig? RuntimeConfig { get; set; }

    /// <summary>Reads the Windows members of a config (stdin); members of other parts are ignored.</summary>
    public static WindowsNetworkConfig Parse(ReadOnlySpan<byte> utf8) => CniJson.Parse<WindowsNetworkConfig>(utf8);
}
