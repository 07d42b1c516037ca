using System.Net;

namespace AzureCni.Netlink;

/// <summary>An address assigned to an interface (RTM_NEWADDR).</summary>
public sealed record AddressInfo(int InterfaceIndex, IPAddress Address, int PrefixLength, RouteScope Scope, string? Label);

/// <summary>Address and route scopes (rt_scope_t).</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
