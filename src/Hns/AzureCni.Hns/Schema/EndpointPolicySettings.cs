using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>
/// The settings of every endpoint policy type in <see cref="EndpointPolicyTypes"/>, in one object:
/// a policy sets only the members of its own type, and the writer leaves the unset ones out, so the
/// document carries exactly the v2 settings of that type. HNS rejects a member of another type.
/// </summary>
[CniJsonObject]
public sealed partial class EndpointPolicySettings
{
    // OutBoundNAT
    [JsonName("VirtualIP")]
    public string? VirtualIp { get; set; }

    [JsonName("Exceptions")]
    public List<string>? Exceptions { get; set; }

    [JsonName("Destinations")]
    public List<string>? Destinations { get; set; }

    // SDNRoute
    [JsonName("DestinationPrefix")]
    public string? DestinationPrefix { get; set; }

    [JsonName("NextHop")]
    public string? NextHop { get; set; }

    [JsonName("NeedEncap")]
    public bool? NeedEncap { get; set; }

    // PortMapping
    /// <summary>An IP protocol number: 6 TCP, 17 UDP.</summary>
    [JsonName("Protocol")]
    public uint? Protocol { get; set; }

    [JsonName("InternalPort")]
    public ushort? InternalPort { get; set; }

    [JsonName("ExternalPort")]
    public ushort? ExternalPort { get; set; }

    [JsonName("VIP")]
    public string? Vip { get; set; }

    /// <summary>PortMapping and OutBoundNAT: a bit set of <see cref="NatFlags"/>.</summary>
    [JsonName("Flags")]
    public uint? Flags { get; set; }

    // ACL
    [JsonName("Id")]
    public string? Id { get; set; }

    /// <summary>ACL: protocol numbers as a string ("6", "17", "6,17").</summary>
    [JsonName("Protocols")]
    public string? Protocols { get; set; }

    /// <summary>ACL: "Allow" or "Block".</summary>
    [JsonName("Action")]
    public string? Action { get; set; }

    /// <summary>ACL: "In" or "Out".</summary>
    [JsonName("Direction")]
    public string? Direction { get; set; }

    [JsonName("LocalAddresses")]
    public string? LocalAddresses { get; set; }

    [JsonName("RemoteAddresses")]
    public string? RemoteAddresses { get; set; }

    [JsonName("LocalPorts")]
    public string? LocalPorts { get; set; }

    [JsonName("RemotePorts")]
    public string? RemotePorts { get; set; }

    /// <summary>ACL: "Host" (WFP) or "Switch" (VFP).</summary>
    [JsonName("RuleType")]
    public string? RuleType { get; set; }

    [JsonName("Priority")]
    public ushort? Priority { get; set; }
}
