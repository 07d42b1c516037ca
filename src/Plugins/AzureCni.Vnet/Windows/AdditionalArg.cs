using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>One AdditionalArgs entry: {"name": "EndpointPolicy", "value": {"Type": "OutBoundNAT", ...}}.</summary>
[CniJsonObject]
public sealed partial class AdditionalArg
{
    public const string EndpointPolicy = "EndpointPolicy";
    public const string NetworkPolicy = "NetworkPolicy";

    public string Name { get; set; } = "";

    /// <summary>The policy as written in the config (HNS v1 shape).</summary>
    public RawJson Value { get; set; }
}
