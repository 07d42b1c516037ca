namespace AzureCni.Hns.Schema;

/// <summary>The v2 network policy types this plugin sends.</summary>
public static class NetworkPolicyTypes
{
    public const string NetAdapterName = "NetAdapterName";
}
