using System.Net.Sockets;

namespace AzureCni.Netlink;

/// <summary>
/// A policy-routing rule that sends packets to a routing table (<c>FR_ACT_TO_TBL</c>), as a request
/// (<see cref="RouteNetlink.AddRule"/>) and as listed. Only the selectors the data path uses: the firewall mark.
/// </summary>
public sealed record FibRule
{
    public AddressFamily Family { get; init; } = AddressFamily.InterNetwork;

    /// <summary>FRA_PRIORITY; null on a request lets the kernel pick (the one below the lowest non-zero rule, 32765 on a stock node).</summary>
    public uint? Priority { get; init; }

    /// <summary>FRA_FWMARK; null matches every packet.</summary>
    public uint? FwMark { get; init; }

    /// <summary>FRA_FWMASK; null is the kernel's default, 0xffffffff when a mark is given.</summary>
    public uint? FwMask { get; init; }

    /// <summary>The table looked up (FRA_TABLE, which also holds tables above 255).</summary>
    public uint Table { get; init; }

    /// <summary>FR_ACT_*; 1 (to table) for the rules this library adds.</summary>
    public byte Action { get; init; } = Interop.Kernel.FR_ACT.FR_ACT_TO_TBL;
}
