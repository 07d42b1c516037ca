using AzureCni.Json;

namespace AzureCni.Cni.Types;

// The result documents of each spec version, field for field as libcni writes them (member order included).
// Lists and optional members are null when libcni's omitempty would drop them. CniResultConverter maps the
// version-independent CniResult to and from these.

/// <summary>0.1.0 / 0.2.0: one IPv4 and one IPv6 config; dns always present.</summary>
[CniJsonObject]
public sealed partial class Result020
{
    public string CniVersion { get; set; } = "";

    public Ip020? Ip4 { get; set; }

    public Ip020? Ip6 { get; set; }

    public DnsDoc Dns { get; set; } = new();
}

[CniJsonObject]
public sealed partial class Ip020
{
    public string Ip { get; set; } = "";

    public string? Gateway { get; set; }

    public List<RouteDoc>? Routes { get; set; }
}

/// <summary>0.3.0 / 0.3.1 / 0.4.0: ips carry "version"; dns always present (libcni's omitempty cannot drop a struct).</summary>
[CniJsonObject]
public sealed partial class Result040
{
    public string CniVersion { get; set; } = "";

    public List<InterfaceDoc>? Interfaces { get; set; }

    public List<IpConfigDoc>? Ips { get; set; }

    public List<RouteDoc>? Routes { get; set; }

    public DnsDoc Dns { get; set; } = new();
}

/// <summary>1.0.0 / 1.1.0 (one Go type upstream): no ips[].version; an empty dns object is dropped.</summary>
[CniJsonObject]
public sealed partial class Result100
{
    public string CniVersion { get; set; } = "";

    public List<InterfaceDoc>? Interfaces { get; set; }

    public List<IpConfigDoc>? Ips { get; set; }

    public List<RouteDoc>? Routes { get; set; }

    public DnsDoc? Dns { get; set; }
}

/// <summary>A result of any version, for reading: the union of every version's members.</summary>
[CniJsonObject]
public sealed partial class AnyResult
{
    public string? CniVersion { get; set; }

    public List<InterfaceDoc>? Interfaces { get; set; }

    public List<IpConfigDoc>? Ips { get; set; }

    public List<RouteDoc>? Routes { get; set; }

    public Ip020? Ip4 { get; set; }

    public Ip020? Ip6 { get; set; }

    public DnsDoc? Dns { get; set; }
}

[CniJsonObject]
public sealed partial class InterfaceDoc
{
    public string Name { get; set; } = "";

    public string? Mac { get; set; }

    public int? Mtu { get; set; }

    public string? Sandbox { get; set; }

    public string? SocketPath { get; set; }

    [JsonName("pciID")]
    public string? PciId { get; set; }
}

[CniJsonObject]
public sealed partial class IpConfigDoc
{
    /// <summary>"4" or "6" in 0.3.x/0.4.0; absent from 1.x.</summary>
    public string? Version { get; set; }

    public int? Interface { get; set; }

    public string Address { get; set; } = "";

    public string? Gateway { get; set; }
}

[CniJsonObject]
public sealed partial class RouteDoc
{
    public string Dst { get; set; } = "";

    [JsonName("gw")]
    public string? Gw { get; set; }

    public int? Mtu { get; set; }

    [JsonName("advmss")]
    public int? AdvMss { get; set; }

    public int? Priority { get; set; }

    public int? Table { get; set; }

    public int? Scope { get; set; }
}

[CniJsonObject]
public sealed partial class DnsDoc
{
    public List<string>? Nameservers { get; set; }

    public string? Domain { get; set; }

    public List<string>? Search { get; set; }

    public List<string>? Options { get; set; }
}

/// <summary>The error document every failure prints on stdout.</summary>
[CniJsonObject]
public sealed partial class ErrorDoc
{
    public string? CniVersion { get; set; }

    public int Code { get; set; }

    [JsonName("msg")]
    public string Message { get; set; } = "";

    public string? Details { get; set; }
}

/// <summary>VERSION's answer.</summary>
[CniJsonObject]
public sealed partial class VersionDoc
{
    public string CniVersion { get; set; } = "";

    public List<string> SupportedVersions { get; set; } = [];
}
