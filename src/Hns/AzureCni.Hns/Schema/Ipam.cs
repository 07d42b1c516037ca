using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>An address space of a network; this plugin sends one "Static" Ipam.</summary>
[CniJsonObject]
public sealed partial class Ipam
{
    public const string StaticType = "Static";

    [JsonName("Type")]
    public string? Type { get; set; }

    [JsonName("Subnets")]
    public List<Subnet>? Subnets { get; set; }
}
