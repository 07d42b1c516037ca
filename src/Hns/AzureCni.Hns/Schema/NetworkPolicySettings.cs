using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>The settings of the network policy types in <see cref="NetworkPolicyTypes"/>.</summary>
[CniJsonObject]
public sealed partial class NetworkPolicySettings
{
    /// <summary>NetAdapterName: the host adapter the network's vSwitch is bound to.</summary>
    [JsonName("NetworkAdapterName")]
    public string? NetworkAdapterName { get; set; }
}
