namespace AzureCni.Hns.Schema;

/// <summary>Bits of a PortMapping or OutBoundNAT policy's Flags.</summary>
public static class NatFlags
{
    public const uint None = 0;

    /// <summary>The mapping also answers on the node's local routed VIP (what the runtime's hostPort means).</summary>
    public const uint LocalRoutedVip = 1;

    /// <summary>The mapping is for IPv6.</summary>
    public const uint IPv6 = 2;
}
