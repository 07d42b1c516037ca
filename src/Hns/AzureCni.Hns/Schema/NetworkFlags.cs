namespace AzureCni.Hns.Schema;

/// <summary>Bits of <see cref="HostComputeNetwork.Flags"/>.</summary>
public static class NetworkFlags
{
    public const uint None = 0;

    /// <summary>HNS forgets the network on reboot; the plugin recreates it on the next ADD.</summary>
    public const uint EnableNonPersistent = 8;
}
