using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>A subnet of an <see cref="Ipam"/>, with its routes (the gateway is the next hop of 0.0.0.0/0).</summary>
[CniJsonObject]
public sealed partial class Subnet
{
    [JsonName("IpAddressPrefix")]
    public string? IpAddressPrefix { get; set; }

    [JsonName("Routes")]
    public List<Route>? Routes { get; set; }
}
