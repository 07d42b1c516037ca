using AzureCni.Json;

namespace AzureCni.Cni.Types;

/// <summary>
/// The fields of a plugin's network config (one element of a conflist, as the runtime derives it) that the
/// CNI protocol itself defines; each plugin reads its own fields from the same stdin into its own type.
/// </summary>
[CniJsonObject]
public sealed partial class NetConf
{
    public string? CniVersion { get; set; }

    /// <summary>1.1.0: the versions a conflist supports; the runtime has already picked cniVersion from them.</summary>
    public List<string>? CniVersions { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }

    public bool? DisableCheck { get; set; }

    [JsonName("disableGC")]
    public bool? DisableGC { get; set; }

    public IpamConf? Ipam { get; set; }

    public DnsDoc? Dns { get; set; }

    public RuntimeConfig? RuntimeConfig { get; set; }

    /// <summary>The previous plugin's (or, on DEL/CHECK, the final ADD) result, in any spec version.</summary>
    public AnyResult? PrevResult { get; set; }

    /// <summary>GC: the attachments still in use (HEAD spec name).</summary>
    [JsonName("cni.dev/valid-attachments")]
    public List<GcAttachment>? ValidAttachments { get; set; }

    /// <summary>GC: the spec-v1.1.0 tag's name for the same list; libcni sends both.</summary>
    [JsonName("cni.dev/attachments")]
    public List<GcAttachment>? LegacyAttachments { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Unknown { get; set; }
}

[CniJsonObject]
public sealed partial class IpamConf
{
    public string? Type { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Unknown { get; set; }
}

[CniJsonObject]
public sealed partial class GcAttachment
{
    [JsonName("containerID")]
    public string? ContainerId { get; set; }

    [JsonName("ifname")]
    public string? IfName { get; set; }
}

/// <summary>runtimeConfig: the capability arguments (CONVENTIONS.md) the runtime filled in for this plugin.</summary>
[CniJsonObject]
public sealed partial class RuntimeConfig
{
    public List<PortMapping>? PortMappings { get; set; }

    public RuntimeDns? Dns { get; set; }

    /// <summary>Outer list: one entry per address to allocate; inner list: the ranges to pick it from.</summary>
    public List<List<IpRange>>? IpRanges { get; set; }

    public Bandwidth? Bandwidth { get; set; }

    public List<string>? Ips { get; set; }

    public string? Mac { get; set; }

    [JsonUnknownFields]
    public JsonFieldBag? Unknown { get; set; }
}

[CniJsonObject]
public sealed partial class PortMapping
{
    public int HostPort { get; set; }

    public int ContainerPort { get; set; }

    public string? Protocol { get; set; }

    [JsonName("hostIP")]
    public string? HostIp { get; set; }
}

/// <summary>The "dns" capability (Kubernetes on Windows): servers/searches/options, unlike the result's DNS names.</summary>
[CniJsonObject]
public sealed partial class RuntimeDns
{
    public List<string>? Servers { get; set; }

    public List<string>? Searches { get; set; }

    public List<string>? Options { get; set; }
}

[CniJsonObject]
public sealed partial class IpRange
{
    public string? Subnet { get; set; }

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    public string? Gateway { get; set; }
}

[CniJsonObject]
public sealed partial class Bandwidth
{
    public long? IngressRate { get; set; }

    public long? IngressBurst { get; set; }

    public long? EgressRate { get; set; }

    public long? EgressBurst { get; set; }
}
