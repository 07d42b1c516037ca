using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>A v2 network policy: {"Type": "...", "Settings": {...}}.</summary>
[CniJsonObject]
public sealed partial class NetworkPolicy
{
    [JsonName("Type")]
    public string Type { get; set; } = "";

    [JsonName("Settings")]
    public NetworkPolicySettings? Settings { get; set; }

    /// <summary>Binds the network to the host adapter named <paramref name="adapterName"/>.</summary>
    public static NetworkPolicy NetAdapterName(string adapterName) => new()
    {
        Type = NetworkPolicyTypes.NetAdapterName,
        Settings = new NetworkPolicySettings { NetworkAdapterName = adapterName },
    };
}
