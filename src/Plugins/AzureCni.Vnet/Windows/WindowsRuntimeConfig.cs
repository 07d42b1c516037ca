using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>The "runtimeConfig" capabilities Windows uses: portMappings and dns.</summary>
[CniJsonObject]
public sealed partial class WindowsRuntimeConfig
{
    public List<WindowsPortMapping>? PortMappings { get; set; }

    public WindowsRuntimeDns? Dns { get; set; }
}
