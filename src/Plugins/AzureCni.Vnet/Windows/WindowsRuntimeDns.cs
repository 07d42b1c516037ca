using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>runtimeConfig.dns: the DNS the runtime wants for the pod; overrides the config's "dns".</summary>
[CniJsonObject]
public sealed partial class WindowsRuntimeDns
{
    public List<string>? Servers { get; set; }

    public List<string>? Searches { get; set; }

    public List<string>? Options { get; set; }
}
