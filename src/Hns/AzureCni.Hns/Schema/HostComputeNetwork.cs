using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>An HCN v2 network (HcnCreateNetwork settings and HcnQueryNetworkProperties output).</summary>
[CniJsonObject]
public sealed partial class HostComputeNetwork
{
    [JsonName("ID")]
    public string? Id { get; set; }

    [JsonName("Name")]
    public string? Name { get; set; }

    /// <summary>One of <see cref="NetworkTypes"/>.</summary>
    [JsonName("Type")]
    public string? Type { get; set; }

    [JsonName("Policies")]
    public List<NetworkPolicy>? Policies { get; set; }

    [JsonName("Dns")]
    public HcnDns? Dns { get; set; }

    [JsonName("Ipams")]
    public List<Ipam>? Ipams { get; set; }

    /// <summary>A bit set of <see cref="NetworkFlags"/>.</summary>
    [JsonName("Flags")]
    public uint? Flags { get; set; }

    [JsonName("SchemaVersion")]
    public SchemaVersion? SchemaVersion { get; set; }
}
