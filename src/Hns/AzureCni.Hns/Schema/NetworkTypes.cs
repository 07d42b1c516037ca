namespace AzureCni.Hns.Schema;

/// <summary>HCN network types as the v2 schema spells them.</summary>
public static class NetworkTypes
{
    public const string L2Bridge = "L2Bridge";
    public const string L2Tunnel = "L2Tunnel";
    public const string Nat = "NAT";
    public const string Transparent = "Transparent";
    public const string Overlay = "Overlay";
}
