using System.Net;
using System.Net.NetworkInformation;

namespace AzureCni.Netlink.NfTables;

/// <summary>
/// An ebtables rule as ebtables-nft keeps it: an nf_tables rule of a bridge-family table (<c>filter</c>, <c>nat</c>,
/// <c>broute</c>), read back by meaning, as <c>ebtables -t TABLE -L --Lmac2</c> prints it. Only the matches and targets
/// listed here are described; anything else the rule holds sets <see cref="HasOtherExpressions"/>, so a caller never
/// takes a narrower rule for a broader one.
/// </summary>
/// <param name="Rule">The rule's identity (family, table, chain, handle) for <see cref="NfTablesClient.DeleteRules"/>.</param>
public sealed record EbtablesRule(NfRule Rule)
{
    /// <summary><c>-p</c>: the Ethernet type (0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP).</summary>
    public ushort? EtherType { get; init; }

    /// <summary><c>-i</c>: the input interface; a trailing <c>+</c> is a prefix.</summary>
    public string? InInterface { get; init; }

    /// <summary><c>-o</c>: the output interface; a trailing <c>+</c> is a prefix.</summary>
    public string? OutInterface { get; init; }

    /// <summary><c>--ip-dst ADDR</c> or <c>--ip6-dst ADDR</c>: one address (a full mask, not inverted).</summary>
    public IPAddress? IPDestination { get; init; }

    /// <summary><c>--arp-op</c>: 1 request, 2 reply.</summary>
    public ushort? ArpOperation { get; init; }

    /// <summary><c>--arp-ip-dst ADDR</c>: one address (a full mask, not inverted).</summary>
    public IPAddress? ArpIPDestination { get; init; }

    /// <summary>
    /// <c>-j</c>: an extension's name (<c>arpreply</c>, <c>dnat</c>, <c>snat</c>, <c>redirect</c> ...) or a standard
    /// verdict (<c>ACCEPT</c>, <c>DROP</c>, <c>CONTINUE</c>, <c>RETURN</c>); empty when the rule has none.
    /// </summary>
    public string Target { get; init; } = "";

    /// <summary><c>--arpreply-mac</c>, <c>--to-dst</c>, <c>--to-src</c>.</summary>
    public PhysicalAddress? TargetMac { get; init; }

    /// <summary><c>--arpreply-target</c>, <c>--dnat-target</c>, <c>--snat-target</c>: an <c>EBT_*</c> verdict (snat's may carry <c>NAT_ARP_BIT</c>).</summary>
    public int? TargetVerdict { get; init; }

    /// <summary>The rule matches or does something not described by the members above.</summary>
    public bool HasOtherExpressions { get; init; }
}
