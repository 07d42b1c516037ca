using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>One address of an endpoint.</summary>
[CniJsonObject]
public sealed partial class IpConfig
{
    [JsonName("IpAddress")]
    public string? IpAddress { get; set; }

    [JsonName("PrefixLength")]
    public byte? PrefixLength { get; set; }
}
