using AzureCni.Cni.Files.Upstream;
using AzureCni.Json;

namespace AzureCni.Ipam.State.Upstream;

// upstream Azure CNI's azure-vnet-ipam.json (ipam/manager.go, ipam/pool.go), Go field names exactly.

/// <summary>The whole file: <c>{"IPAM": {...}}</c>; other top-level keys are kept.</summary>
[CniJsonObject]
public sealed partial class UpstreamIpamFile
{
    [JsonName("IPAM")]
    public UpstreamIpam? Ipam { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Other { get; set; }
}

[CniJsonObject]
public sealed partial class UpstreamIpam
{
    [JsonName("Version")]
    public string Version { get; set; } = "";

    [JsonName("TimeStamp")]
    public string TimeStamp { get; set; } = "";

    [JsonName("AddressSpaces")]
    public Dictionary<string, UpstreamAddressSpace>? AddressSpaces { get; set; }
}

[CniJsonObject]
public sealed partial class UpstreamAddressSpace
{
    [JsonName("Id")]
    public string Id { get; set; } = "";

    [JsonName("Scope")]
    public int Scope { get; set; }

    /// <summary>Keyed by the subnet in CIDR form.</summary>
    [JsonName("Pools")]
    public Dictionary<string, UpstreamPool>? Pools { get; set; }
}

[CniJsonObject]
public sealed partial class UpstreamPool
{
    [JsonName("Id")]
    public string Id { get; set; } = "";

    [JsonName("IfName")]
    public string IfName { get; set; } = "";

    [JsonName("Subnet")]
    public UpstreamIPNet Subnet { get; set; } = new();

    [JsonName("Gateway")]
    public string Gateway { get; set; } = "";

    /// <summary>Keyed by the address.</summary>
    [JsonName("Addresses")]
    public Dictionary<string, UpstreamAddress>? Addresses { get; set; }

    [JsonName("IsIPv6")]
    public bool IsIPv6 { get; set; }

    /// <summary>1 on a secondary NIC, as ours.</summary>
    [JsonName("Priority")]
    public int Priority { get; set; }

    [JsonName("RefCount")]
    public int RefCount { get; set; }
}

/// <summary>One address; <see cref="ID"/> is the owner's full container ID ("" in releases before v1.2.0).</summary>
[CniJsonObject]
public sealed partial class UpstreamAddress
{
    [JsonName("ID")]
    public string ID { get; set; } = "";

    [JsonName("Addr")]
    public string Addr { get; set; } = "";

    [JsonName("InUse")]
    public bool InUse { get; set; }
}
