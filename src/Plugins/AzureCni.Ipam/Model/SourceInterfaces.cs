using AzureCni.Json;

namespace AzureCni.Ipam.Model;

// What a source reports, in the shape of NMAgent's getinterfaceinfov1 and of interfaces.json:
// {"Interfaces":[{"MacAddress":"000D3A6E1825","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16",
//   "IPAddresses":[{"Address":"10.240.0.4","IsPrimary":true}]}]}]}

[CniJsonObject]
public sealed partial class SourceInterfaces
{
    [JsonName("Interfaces")]
    public List<SourceInterface> Interfaces { get; set; } = [];
}

[CniJsonObject]
public sealed partial class SourceInterface
{
    /// <summary>12 hex digits, any case, colons allowed; "" or "*" match any local interface.</summary>
    [JsonName("MacAddress")]
    public string MacAddress { get; set; } = "";

    [JsonName("IsPrimary")]
    public bool IsPrimary { get; set; }

    [JsonName("IPSubnets")]
    public List<SourceSubnet> IPSubnets { get; set; } = [];
}

[CniJsonObject]
public sealed partial class SourceSubnet
{
    [JsonName("Prefix")]
    public string Prefix { get; set; } = "";

    /// <summary>The subnet's gateway when the source names one; else the first host address (prefix|::1 for IPv6).</summary>
    [JsonName("Gateway")]
    public string? Gateway { get; set; }

    [JsonName("IPAddresses")]
    public List<SourceAddress> IPAddresses { get; set; } = [];
}

[CniJsonObject]
public sealed partial class SourceAddress
{
    [JsonName("Address")]
    public string Address { get; set; } = "";

    [JsonName("IsPrimary")]
    public bool IsPrimary { get; set; }
}
