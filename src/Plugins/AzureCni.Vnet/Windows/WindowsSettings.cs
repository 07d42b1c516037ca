using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>The "windowsSettings" object.</summary>
[CniJsonObject]
public sealed partial class WindowsSettings
{
    /// <summary>Adds an OutBoundNAT policy with the pod's own IPv4 address as destination, so a pod reaches itself through a service VIP.</summary>
    [JsonName("enableLoopbackDSR")]
    public bool? EnableLoopbackDsr { get; set; }

    /// <summary>The time limit of every HNS call; 0 or absent means the default.</summary>
    public int? HnsTimeoutDurationInSeconds { get; set; }
}
