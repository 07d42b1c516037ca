using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>One runtimeConfig.portMappings entry.</summary>
[CniJsonObject]
public sealed partial class WindowsPortMapping
{
    public int HostPort { get; set; }

    public int ContainerPort { get; set; }

    /// <summary>"tcp" or "udp" (any case); absent means tcp.</summary>
    public string? Protocol { get; set; }

    [JsonName("hostIP")]
    public string? HostIp { get; set; }
}
