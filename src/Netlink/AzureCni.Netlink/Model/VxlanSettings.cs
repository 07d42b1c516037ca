using System.Net;

namespace AzureCni.Netlink;

/// <summary>A vxlan link's settings, as <c>ip link add NAME type vxlan</c> takes them: the VNI and the optional rest.</summary>
public sealed record VxlanSettings(uint Vni)
{
    /// <summary>UDP destination port (<c>dstport</c>); the IANA port by default.</summary>
    public ushort Port { get; init; } = 4789;

    /// <summary>Source address (<c>local</c>), IPv4 or IPv6.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>Multicast group (<c>group</c>), IPv4 or IPv6.</summary>
    public IPAddress? Group { get; init; }

    /// <summary>The link the tunnel uses (<c>dev</c>).</summary>
    public int? ParentIndex { get; init; }

    /// <summary>Learns remote MACs from received packets; <c>nolearning</c> when false.</summary>
    public bool Learning { get; init; } = true;
}
