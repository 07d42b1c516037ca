using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>An HCN v2 endpoint (HcnCreateEndpoint settings and HcnQueryEndpointProperties output).</summary>
[CniJsonObject]
public sealed partial class HostComputeEndpoint
{
    [JsonName("ID")]
    public string? Id { get; set; }

    [JsonName("Name")]
    public string? Name { get; set; }

    /// <summary>The network's ID (a GUID string).</summary>
    [JsonName("HostComputeNetwork")]
    public string? HostComputeNetwork { get; set; }

    /// <summary>The namespace the endpoint is attached to, in query output; never sent.</summary>
    [JsonName("HostComputeNamespace")]
    public string? HostComputeNamespace { get; set; }

    [JsonName("Policies")]
    public List<EndpointPolicy>? Policies { get; set; }

    [JsonName("IpConfigurations")]
    public List<IpConfig>? IpConfigurations { get; set; }

    [JsonName("Dns")]
    public HcnDns? Dns { get; set; }

    [JsonName("Routes")]
    public List<Route>? Routes { get; set; }

    /// <summary>Assigned by HNS ("00-15-5D-..."); empty or absent in create settings.</summary>
    [JsonName("MacAddress")]
    public string? MacAddress { get; set; }

    /// <summary>Bit 1 marks a remote endpoint (one on another host), which this plugin never touches.</summary>
    [JsonName("Flags")]
    public uint? Flags { get; set; }

    [JsonName("SchemaVersion")]
    public SchemaVersion? SchemaVersion { get; set; }

    public const uint RemoteEndpointFlag = 1;
}
