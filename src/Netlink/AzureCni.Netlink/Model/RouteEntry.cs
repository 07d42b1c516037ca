using System.Net;
using System.Net.Sockets;

namespace AzureCni.Netlink;

/// <summary>
/// A route, both as a request (<see cref="RouteNetlink.AddRoute"/>) and as listed. A null
/// <see cref="Destination"/> is the default route of <see cref="Family"/>.
/// </summary>
public sealed record RouteEntry
{
    /// <summary>The destination network; null for the default route.</summary>
    public IPAddress? Destination { get; init; }

    /// <summary>The destination prefix length (0 for the default route).</summary>
    public int DestinationPrefixLength { get; init; }

    /// <summary>The next hop (RTA_GATEWAY); null for a directly connected route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The output interface (RTA_OIF).</summary>
    public int? OutputInterfaceIndex { get; init; }

    /// <summary>The preferred source address (RTA_PREFSRC).</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>The scope; null lets the request pick link scope without a gateway and universe with one.</summary>
    public RouteScope? Scope { get; init; }

    /// <summary>The routing table (254 is main).</summary>
    public uint Table { get; init; } = 254;

    /// <summary>Who installed the route (RTPROT_*; 3 = boot, as <c>ip route add</c>).</summary>
    public RouteProtocol Protocol { get; init; } = RouteProtocol.Boot;

    /// <summary>The metric (RTA_PRIORITY).</summary>
    public uint? Metric { get; init; }

    /// <summary>The address family; taken from the destination or gateway when unset.</summary>
    public AddressFamily Family
    {
        get => _family ?? Destination?.AddressFamily ?? Gateway?.AddressFamily ?? AddressFamily.Unspecified;
        init => _family = value;
    }

    private readonly AddressFamily? _family;

    /// <summary>The route type (RTN_*; 1 = unicast) as listed.</summary>
    public byte Type { get; init; } = Interop.Kernel.RTN.RTN_UNICAST;

    /// <summary>Equal when every public property is, the family compared as resolved (explicit or derived).</summary>
    public bool Equals(RouteEntry? other) =>
        other is not null
        && Equals(Destination, other.Destination) && DestinationPrefixLength == other.DestinationPrefixLength
        && Equals(Gateway, other.Gateway) && OutputInterfaceIndex == other.OutputInterfaceIndex
        && Equals(PreferredSource, other.PreferredSource) && Scope == other.Scope && Table == other.Table
        && Protocol == other.Protocol && Metric == other.Metric && Family == other.Family && Type == other.Type;

    public override int GetHashCode() => HashCode.Combine(Destination, DestinationPrefixLength, Gateway, OutputInterfaceIndex, Table, Metric, Family);
}

/// <summary>Route origin (RTPROT_*).</summary>
public enum RouteProtocol : byte
{
    Unspecified = 0,
    Redirect = 1,
    Kernel = 2,
    Boot = 3,
    Static = 4,
}
