using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.NfTables;

/// <summary>
/// Reads a dumped bridge-family rule as the ebtables rule it is (<see cref="EbtablesRule"/>). ebtables-nft writes
/// <c>-p</c>, <c>-i</c> and <c>-o</c> as native expressions (a payload or meta load into a register, then cmp) and
/// most other matches and every extension target through nft_compat ("match"/"target" with the x_tables struct in
/// INFO); the native forms of <c>--ip-dst</c>, <c>--ip6-dst</c>, <c>--arp-op</c> and <c>--arp-ip-dst</c> that nft
/// itself writes are read too.
/// </summary>
internal static class EbtablesRuleDecoder
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86dd;
    private const ushort EtherTypeArp = 0x0806;

    /// <summary>What a register holds: a payload load (base, offset, length) or a meta load (key).</summary>
    private readonly record struct Load(uint Base, uint Offset, uint Length, uint MetaKey)
    {
        public const uint NoMeta = uint.MaxValue;

        public bool IsPayload(uint payloadBase, uint offset, uint length) =>
            MetaKey == NoMeta && Base == payloadBase && Offset == offset && Length == length;
    }

    /// <summary>Decodes one NEWRULE of a bridge-family dump.</summary>
    /// <exception cref="NetlinkDecodeException">The message, an expression, or a known extension's struct is malformed.</exception>
    public static EbtablesRule Decode(ReadOnlySpan<byte> payload)
    {
        NfRule identity = NfRuleDump.Decode(payload);
        if (!NftRuleMessage.TryRead(payload, out NftRuleMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "ebtables rule");

        var rule = new EbtablesRule(identity);
        var loads = new Dictionary<uint, Load>();
        var reader = new NetlinkAttributeReader(message.Attributes.Expressions);
        while (reader.MoveNext())
        {
            if (reader.Type != (ushort)NFTA_LIST.NFTA_LIST_ELEM)
                continue;
            if (!NftExpressionAttributes.TryRead(reader.Payload, out NftExpressionAttributes expression, out error))
                NetlinkDecodeException.Throw(error, "ebtables rule expression");
            rule = Apply(rule, loads, expression.Name, expression.Data);
        }

        if (reader.Error != NetlinkDecodeError.None)
            NetlinkDecodeException.Throw(reader.Error, "ebtables rule expressions");
        return rule;
    }

    private static EbtablesRule Apply(EbtablesRule rule, Dictionary<uint, Load> loads, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        NetlinkDecodeError error;
        switch (Encoding.ASCII.GetString(name))
        {
            case "counter":
                return rule;
            case "payload":
                if (!NftPayloadAttributes.TryRead(data, out NftPayloadAttributes payload, out error))
                    NetlinkDecodeException.Throw(error, "ebtables rule payload");
                if (payload.DestinationRegister is not { } payloadRegister || payload.SourceRegister is not null)
                    return Other(rule);
                loads[payloadRegister] = new Load(payload.Base ?? 0, payload.Offset ?? 0, payload.Length ?? 0, Load.NoMeta);
                return rule;
            case "meta":
                if (!NftMetaAttributes.TryRead(data, out NftMetaAttributes meta, out error))
                    NetlinkDecodeException.Throw(error, "ebtables rule meta");
                if (meta.DestinationRegister is not { } metaRegister || meta.Key is not { } key)
                    return Other(rule);
                loads[metaRegister] = new Load(0, 0, 0, key);
                return rule;
            case "cmp":
                if (!NftCmpAttributes.TryRead(data, out NftCmpAttributes cmp, out error))
                    NetlinkDecodeException.Throw(error, "ebtables rule cmp");
                if (cmp.Operation != NFT_CMP.NFT_CMP_EQ || cmp.SourceRegister is not { } register || !loads.TryGetValue(register, out Load load))
                    return Other(rule);
                return Compare(rule, load, cmp.Data.Value) ?? Other(rule);
            case "match":
                if (!NftMatchAttributes.TryRead(data, out NftMatchAttributes match, out error))
                    NetlinkDecodeException.Throw(error, "ebtables rule match");
                return Match(rule, Encoding.ASCII.GetString(match.Name), match.Revision ?? 0, match.Info) ?? Other(rule);
            case "target":
                if (!NftTargetAttributes.TryRead(data, out NftTargetAttributes target, out error))
                    NetlinkDecodeException.Throw(error, "ebtables rule target");
                return Target(rule, Encoding.ASCII.GetString(target.Name), target.Info);
            case "immediate":
                if (!NftImmediateAttributes.TryRead(data, out NftImmediateAttributes immediate, out error))
                    NetlinkDecodeException.Throw(error, "ebtables rule immediate");
                if (immediate.DestinationRegister != NFT_REG.NFT_REG_VERDICT || immediate.Data.Verdict.Code is not { } code)
                    return Other(rule);
                return Verdict((int)code) is { } verdict ? rule with { Target = verdict } : Other(rule);
            default:
                return Other(rule);
        }
    }

    private static EbtablesRule Other(EbtablesRule rule) => rule with { HasOtherExpressions = true };

    /// <summary>A native match: cmp eq of a register loaded by payload or meta.</summary>
    private static EbtablesRule? Compare(EbtablesRule rule, Load load, ReadOnlySpan<byte> value)
    {
        if (load.MetaKey is NFT_META.NFT_META_IIFNAME or NFT_META.NFT_META_OIFNAME)
        {
            // "eth0\0" is the name; without the NUL the bytes are a prefix (-i eth+).
            int nul = value.IndexOf((byte)0);
            string interfaceName = nul >= 0 ? Encoding.UTF8.GetString(value[..nul]) : Encoding.UTF8.GetString(value) + "+";
            return load.MetaKey == NFT_META.NFT_META_IIFNAME ? rule with { InInterface = interfaceName } : rule with { OutInterface = interfaceName };
        }

        if (load.MetaKey != Load.NoMeta)
            return null;
        if (load.IsPayload(NFT_PAYLOAD.NFT_PAYLOAD_LL_HEADER, 12, 2) && value.Length == 2)
            return rule with { EtherType = BinaryPrimitives.ReadUInt16BigEndian(value) };

        // struct iphdr daddr at 16; struct ipv6hdr daddr at 24; struct arphdr ar_op at 6 and, for Ethernet/IPv4, the target IP at 24.
        return rule.EtherType switch
        {
            EtherTypeIPv4 when load.IsPayload(NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 16, 4) && value.Length == 4 => rule with { IPDestination = new IPAddress(value) },
            EtherTypeIPv6 when load.IsPayload(NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 24, 16) && value.Length == 16 => rule with { IPDestination = new IPAddress(value) },
            EtherTypeArp when load.IsPayload(NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 6, 2) && value.Length == 2 => rule with { ArpOperation = BinaryPrimitives.ReadUInt16BigEndian(value) },
            EtherTypeArp when load.IsPayload(NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 24, 4) && value.Length == 4 => rule with { ArpIPDestination = new IPAddress(value) },
            _ => null,
        };
    }

    /// <summary>An nft_compat match; null when it matches more than the members of <see cref="EbtablesRule"/> say.</summary>
    private static EbtablesRule? Match(EbtablesRule rule, string name, uint revision, ReadOnlySpan<byte> info)
    {
        if (revision != 0)
            return null;
        switch (name)
        {
            case "ip":
            {
                if (!ebt_ip_info.TryRead(info, out ebt_ip_info ip))
                    NetlinkDecodeException.Throw(NetlinkDecodeError.BadAttributeLength, "ebtables ip match");
                if (ip.bitmask != EBT_MATCH.EBT_IP_DEST || ip.invflags != 0 || ip.dmsk != uint.MaxValue)
                    return null;
                return rule with { IPDestination = Address(ip.daddr) };
            }
            case "ip6":
            {
                if (!ebt_ip6_info.TryRead(info, out ebt_ip6_info ip6))
                    NetlinkDecodeException.Throw(NetlinkDecodeError.BadAttributeLength, "ebtables ip6 match");
                if (ip6.bitmask != EBT_MATCH.EBT_IP_DEST || ip6.invflags != 0 || ((ReadOnlySpan<byte>)ip6.dmsk).ContainsAnyExcept((byte)0xff))
                    return null;
                return rule with { IPDestination = new IPAddress((ReadOnlySpan<byte>)ip6.daddr) };
            }
            case "arp":
            {
                if (!ebt_arp_info.TryRead(info, out ebt_arp_info arp))
                    NetlinkDecodeException.Throw(NetlinkDecodeError.BadAttributeLength, "ebtables arp match");
                const byte known = EBT_MATCH.EBT_ARP_OPCODE | EBT_MATCH.EBT_ARP_DST_IP;
                if ((arp.bitmask & ~known) != 0 || arp.invflags != 0)
                    return null;
                if ((arp.bitmask & EBT_MATCH.EBT_ARP_OPCODE) != 0)
                    rule = rule with { ArpOperation = FromNetworkOrder(arp.opcode) };
                if ((arp.bitmask & EBT_MATCH.EBT_ARP_DST_IP) != 0)
                {
                    if (arp.dmsk != uint.MaxValue)
                        return null;
                    rule = rule with { ArpIPDestination = Address(arp.daddr) };
                }

                return rule;
            }
            default:
                return null;
        }
    }

    /// <summary>An nft_compat target: the MAC-writing ones are read, any other is known by its name.</summary>
    private static EbtablesRule Target(EbtablesRule rule, string name, ReadOnlySpan<byte> info)
    {
        if (name is not ("arpreply" or "dnat" or "snat"))
            return rule with { Target = name };
        if (!ebt_nat_info.TryRead(info, out ebt_nat_info nat))
            NetlinkDecodeException.Throw(NetlinkDecodeError.BadAttributeLength, "ebtables " + name + " target");
        return rule with { Target = name, TargetMac = new PhysicalAddress(((ReadOnlySpan<byte>)nat.mac).ToArray()), TargetVerdict = nat.target };
    }

    /// <summary>A __be32 address the struct reader read in host order: its bytes are the address's.</summary>
    private static IPAddress Address(uint raw)
    {
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, raw);
        return new IPAddress(bytes);
    }

    private static ushort FromNetworkOrder(ushort raw) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;

    private static string? Verdict(int code) => code switch
    {
        NF_VERDICT.NF_ACCEPT => "ACCEPT",
        NF_VERDICT.NF_DROP => "DROP",
        NF_VERDICT.NFT_CONTINUE => "CONTINUE",
        NF_VERDICT.NFT_RETURN => "RETURN",
        _ => null,
    };
}
