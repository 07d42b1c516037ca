using AzureCni.Cni.Files.Upstream;
using AzureCni.Json;

namespace AzureCni.Vnet.State.Upstream;

// upstream Azure CNI's azure-vnet.json (network/manager.go, network.go, endpoint.go), Go field names exactly.
// Only the members the conversion maps are declared; every other one is kept raw in Other and written back.

/// <summary>The whole file: <c>{"Network": {...}}</c>.</summary>
[CniJsonObject]
public sealed partial class UpstreamVnetFile
{
    [JsonName("Network")]
    public UpstreamNetworkManager? Network { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Other { get; set; }
}

[CniJsonObject]
public sealed partial class UpstreamNetworkManager
{
    [JsonName("Version")]
    public string Version { get; set; } = "";

    [JsonName("TimeStamp")]
    public string TimeStamp { get; set; } = "";

    /// <summary>Keyed by the host NIC's name.</summary>
    [JsonName("ExternalInterfaces")]
    public Dictionary<string, UpstreamExternalInterface>? ExternalInterfaces { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Other { get; set; }
}

/// <summary>A host NIC (extIf); Subnets, DNSInfo, IPAddresses, Routes and the gateways stay in <see cref="Other"/>.</summary>
[CniJsonObject]
public sealed partial class UpstreamExternalInterface
{
    [JsonName("Name")]
    public string Name { get; set; } = "";

    /// <summary>Keyed by the conflist's network name.</summary>
    [JsonName("Networks")]
    public Dictionary<string, UpstreamNetwork>? Networks { get; set; }

    [JsonName("BridgeName")]
    public string BridgeName { get; set; } = "";

    /// <summary>The NIC's MAC, base64 of its bytes.</summary>
    [JsonName("MacAddress")]
    public string? MacAddress { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Other { get; set; }
}

/// <summary>A network; Subnets (whose first Prefix upstream sends IPAM as the pool), DNS and the rest stay in <see cref="Other"/>.</summary>
[CniJsonObject]
public sealed partial class UpstreamNetwork
{
    [JsonName("Id")]
    public string Id { get; set; } = "";

    [JsonName("Mode")]
    public string Mode { get; set; } = "";

    /// <summary>Keyed by the endpoint ID (<c>cid[:8]-ifname</c>).</summary>
    [JsonName("Endpoints")]
    public Dictionary<string, UpstreamEndpoint>? Endpoints { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Other { get; set; }
}

[CniJsonObject]
public sealed partial class UpstreamEndpoint
{
    [JsonName("Id")]
    public string Id { get; set; } = "";

    /// <summary>CNI_IFNAME since v1.6; older releases stored the temporary veth name (azv...2).</summary>
    [JsonName("IfName")]
    public string IfName { get; set; } = "";

    [JsonName("HostIfName")]
    public string HostIfName { get; set; } = "";

    /// <summary>The pod interface's MAC, base64 of its bytes.</summary>
    [JsonName("MacAddress")]
    public string? MacAddress { get; set; }

    [JsonName("IPAddresses")]
    public List<UpstreamIPNet>? IPAddresses { get; set; }

    [JsonName("Gateways")]
    public List<string>? Gateways { get; set; }

    [JsonName("NetworkNameSpace")]
    public string? NetworkNameSpace { get; set; }

    /// <summary>The full container ID: upstream's DEL finds endpoints by it.</summary>
    [JsonName("ContainerID")]
    public string ContainerID { get; set; } = "";

    [JsonName("PODName")]
    public string? PODName { get; set; }

    [JsonName("PODNameSpace")]
    public string? PODNameSpace { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Other { get; set; }
}
