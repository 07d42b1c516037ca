using System.Runtime.CompilerServices;
using AzureCni.Netlink.Generation;

// The x_tables structs ebtables-nft puts in NFTA_MATCH_INFO / NFTA_TARGET_INFO of a bridge-family rule
// (linux/netfilter_bridge/ebt_ip.h, ebt_ip6.h, ebt_arp.h, ebt_nat.h, ebt_arpreply.h, ebtables.h), declared for the
// netlink generator. Their __be16/__be32 members are read in host order here: the bytes are kept as they are on
// the wire, which is how addresses and MACs are compared.
#pragma warning disable IDE1006 // kernel spelling
#pragma warning disable CS0169, IDE0044, IDE0051 // an inline array's one element is never named
namespace AzureCni.Netlink.Interop.Kernel;

/// <summary><c>unsigned char [ETH_ALEN]</c>.</summary>
[InlineArray(6)]
internal struct EthernetAddressBytes
{
    private byte _element;
}

/// <summary><c>struct in6_addr</c>: 16 bytes, network order.</summary>
[InlineArray(16)]
internal struct In6AddressBytes
{
    private byte _element;
}

/// <summary><c>struct ebt_ip_info</c>: <c>-p IPv4 --ip-src/--ip-dst/--ip-tos/--ip-proto/--ip-sport/--ip-dport</c>.</summary>
[NetlinkStruct]
internal partial struct ebt_ip_info
{
    public uint saddr;
    public uint daddr;
    public uint smsk;
    public uint dmsk;
    public byte tos;
    public byte protocol;
    public byte bitmask;
    public byte invflags;
    public uint sport; // union { __u16 sport[2]; __u8 icmp_type[2]; __u8 igmp_type[2]; }
    public uint dport; // union { __u16 dport[2]; __u8 icmp_code[2]; }
}

/// <summary><c>struct ebt_ip6_info</c>: <c>-p IPv6 --ip6-src/--ip6-dst/...</c>.</summary>
[NetlinkStruct]
internal partial struct ebt_ip6_info
{
    public In6AddressBytes saddr;
    public In6AddressBytes daddr;
    public In6AddressBytes smsk;
    public In6AddressBytes dmsk;
    public byte tclass;
    public byte protocol;
    public byte bitmask;
    public byte invflags;
    public uint sport; // union { __u16 sport[2]; __u8 icmpv6_type[2]; }
    public uint dport; // union { __u16 dport[2]; __u8 icmpv6_code[2]; }
}

/// <summary><c>struct ebt_arp_info</c>: <c>-p ARP --arp-op/--arp-ip-src/--arp-ip-dst/--arp-mac-src/...</c>.</summary>
[NetlinkStruct]
internal partial struct ebt_arp_info
{
    public ushort htype;
    public ushort ptype;
    public ushort opcode;
    public uint saddr;
    public uint smsk;
    public uint daddr;
    public uint dmsk;
    public EthernetAddressBytes smaddr;
    public EthernetAddressBytes smmsk;
    public EthernetAddressBytes dmaddr;
    public EthernetAddressBytes dmmsk;
    public byte bitmask;
    public byte invflags;
}

/// <summary>
/// <c>struct ebt_nat_info</c> (<c>-j dnat --to-dst</c>, <c>-j snat --to-src</c>) and, with the same layout,
/// <c>struct ebt_arpreply_info</c> (<c>-j arpreply --arpreply-mac</c>): a MAC and the verdict after it.
/// </summary>
[NetlinkStruct]
internal partial struct ebt_nat_info
{
    public EthernetAddressBytes mac;
    public int target;
}

/// <summary><c>EBT_IP_*</c> (ebt_ip.h; ebt_ip6.h's <c>EBT_IP6_*</c> use the same bits), <c>EBT_ARP_*</c> (ebt_arp.h).</summary>
internal static class EBT_MATCH
{
    public const byte EBT_IP_SOURCE = 0x01;
    public const byte EBT_IP_DEST = 0x02;

    public const byte EBT_ARP_OPCODE = 0x01;
    public const byte EBT_ARP_DST_IP = 0x10;
}

/// <summary>ebtables' standard verdicts (linux/netfilter_bridge/ebtables.h) and snat's <c>NAT_ARP_BIT</c> (ebt_nat.h).</summary>
public static class EBT_VERDICT
{
    public const int EBT_ACCEPT = -1;
    public const int EBT_DROP = -2;
    public const int EBT_CONTINUE = -3;
    public const int EBT_RETURN = -4;

    /// <summary>Set in snat's verdict by <c>--snat-arp</c>: ARP's sender hardware address is rewritten too.</summary>
    public const int NAT_ARP_BIT = 0x10;
}
