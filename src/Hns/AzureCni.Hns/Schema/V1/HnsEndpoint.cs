using AzureCni.Json;

namespace AzureCni.Hns.Schema.V1;

/// <summary>An HNS v1 endpoint (POST /endpoints/), for runtimes whose CNI_NETNS is not an HCN namespace.</summary>
[CniJsonObject]
public sealed partial class HnsEndpoint
{
    [JsonName("ID")]
    public string? Id { get; set; }

    [JsonName("Name")]
    public string? Name { get; set; }

    /// <summary>The network's ID.</summary>
    [JsonName("VirtualNetwork")]
    public string? VirtualNetwork { get; set; }

    [JsonName("VirtualNetworkName")]
    public string? VirtualNetworkName { get; set; }

    /// <summary>v1 policies are flat objects ({"Type":"OutBoundNAT","ExceptionList":[...]}), passed through as written.</summary>
    [JsonName("Policies")]
    public List<RawJson>? Policies { get; set; }

    [JsonName("MacAddress")]
    public string? MacAddress { get; set; }

    [JsonName("IPAddress")]
    public string? IPAddress { get; set; }

    [JsonName("PrefixLength")]
    public byte? PrefixLength { get; set; }

    [JsonName("IPv6Address")]
    public string? IPv6Address { get; set; }

    [JsonName("IPv6PrefixLength")]
    public byte? IPv6PrefixLength { get; set; }

    [JsonName("GatewayAddress")]
    public string? GatewayAddress { get; set; }

    [JsonName("GatewayAddressV6")]
    public string? GatewayAddressV6 { get; set; }

    /// <summary>Comma-separated DNS suffixes.</summary>
    [JsonName("DNSSuffix")]
    public string? DnsSuffix { get; set; }

    /// <summary>Comma-separated DNS servers.</summary>
    [JsonName("DNSServerList")]
    public string? DnsServerList { get; set; }

    [JsonName("IsRemoteEndpoint")]
    public bool? IsRemoteEndpoint { get; set; }
}
