using AzureCni.Netlink.Generation;

// nf_tables message bodies and attribute families (linux/netfilter/nfnetlink.h, nf_tables.h), declared for the
// netlink generator. nf_tables integers are big-endian (the kernel reads them with ntohl/be64_to_cpu), and every
// nest carries NLA_F_NESTED as libnftnl writes it. Signed kernel values (hook priority, verdict code) travel as
// their two's-complement bit pattern in a uint.
#pragma warning disable IDE1006 // kernel spelling
namespace AzureCni.Netlink.Interop.Kernel;

/// <summary><c>struct nfgenmsg</c> (linux/netfilter/nfnetlink.h). <c>res_id</c> is big-endian on the wire.</summary>
[NetlinkStruct]
internal partial struct nfgenmsg
{
    public byte nfgen_family;
    public byte version;
    public ushort res_id;
}

/// <summary>Attributes of NFT_MSG_*TABLE.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftTableAttributes
{
    [NetlinkAttribute(NFTA_TABLE.NFTA_TABLE_NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(NFTA_TABLE.NFTA_TABLE_FLAGS, Encoding = NetlinkEncoding.BigEndian)] public uint? Flags;
    [NetlinkAttribute(NFTA_TABLE.NFTA_TABLE_USE, Encoding = NetlinkEncoding.BigEndian)] public uint? Use;
    [NetlinkAttribute(NFTA_TABLE.NFTA_TABLE_HANDLE, Encoding = NetlinkEncoding.BigEndian)] public ulong? Handle;
}

/// <summary>NFTA_CHAIN_HOOK: where a base chain attaches.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftHookAttributes
{
    [NetlinkAttribute(NFTA_HOOK.NFTA_HOOK_HOOKNUM, Encoding = NetlinkEncoding.BigEndian)] public uint? HookNumber;
    [NetlinkAttribute(NFTA_HOOK.NFTA_HOOK_PRIORITY, Encoding = NetlinkEncoding.BigEndian)] public uint? Priority;
    [NetlinkAttribute(NFTA_HOOK.NFTA_HOOK_DEV, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Device;
}

/// <summary>Attributes of NFT_MSG_*CHAIN.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftChainAttributes
{
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_TABLE, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Table;
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_HOOK, Encoding = NetlinkEncoding.NestedWithFlag)] public NftHookAttributes Hook;
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_POLICY, Encoding = NetlinkEncoding.BigEndian)] public uint? Policy;
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_TYPE, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Type;
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_HANDLE, Encoding = NetlinkEncoding.BigEndian)] public ulong? Handle;
    [NetlinkAttribute(NFTA_CHAIN.NFTA_CHAIN_USE, Encoding = NetlinkEncoding.BigEndian)] public uint? Use;
}

/// <summary>
/// Attributes of NFT_MSG_*RULE. The expression list stays raw here: it is a list of NFTA_LIST_ELEM, written
/// element by element by <c>NfBatchWriter</c> and walked by <c>NfRuleDecoder</c>.
/// </summary>
[NetlinkAttributeSet]
internal ref partial struct NftRuleAttributes
{
    [NetlinkAttribute(NFTA_RULE.NFTA_RULE_TABLE, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Table;
    [NetlinkAttribute(NFTA_RULE.NFTA_RULE_CHAIN, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Chain;
    [NetlinkAttribute(NFTA_RULE.NFTA_RULE_HANDLE, Encoding = NetlinkEncoding.BigEndian)] public ulong? Handle;
    [NetlinkAttribute(NFTA_RULE.NFTA_RULE_USERDATA)] public ReadOnlySpan<byte> UserData;
    [NetlinkAttribute(NFTA_RULE.NFTA_RULE_EXPRESSIONS)] public ReadOnlySpan<byte> Expressions;
    [NetlinkAttribute(NFTA_RULE.NFTA_RULE_POSITION, Encoding = NetlinkEncoding.BigEndian)] public ulong? Position;
}

/// <summary>One NFTA_LIST_ELEM of a rule's expression list.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftExpressionAttributes
{
    [NetlinkAttribute(NFTA_EXPR.NFTA_EXPR_NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(NFTA_EXPR.NFTA_EXPR_DATA)] public ReadOnlySpan<byte> Data;
}

/// <summary><c>NFTA_DATA_VERDICT</c>.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftVerdictAttributes
{
    [NetlinkAttribute(NFTA_VERDICT.NFTA_VERDICT_CODE, Encoding = NetlinkEncoding.BigEndian)] public uint? Code;
    [NetlinkAttribute(NFTA_VERDICT.NFTA_VERDICT_CHAIN, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Chain;
}

/// <summary><c>struct nft_data</c> on the wire: a value or a verdict.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftDataAttributes
{
    [NetlinkAttribute(NFTA_DATA.NFTA_DATA_VALUE)] public ReadOnlySpan<byte> Value;
    [NetlinkAttribute(NFTA_DATA.NFTA_DATA_VERDICT, Encoding = NetlinkEncoding.NestedWithFlag)] public NftVerdictAttributes Verdict;
}

/// <summary>"immediate": load a constant or a verdict into a register.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftImmediateAttributes
{
    [NetlinkAttribute(NFTA_IMMEDIATE.NFTA_IMMEDIATE_DREG, Encoding = NetlinkEncoding.BigEndian)] public uint? DestinationRegister;
    [NetlinkAttribute(NFTA_IMMEDIATE.NFTA_IMMEDIATE_DATA, Encoding = NetlinkEncoding.NestedWithFlag)] public NftDataAttributes Data;
}

/// <summary>"cmp": compare a register with a constant; a mismatch ends the rule.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftCmpAttributes
{
    [NetlinkAttribute(NFTA_CMP.NFTA_CMP_SREG, Encoding = NetlinkEncoding.BigEndian)] public uint? SourceRegister;
    [NetlinkAttribute(NFTA_CMP.NFTA_CMP_OP, Encoding = NetlinkEncoding.BigEndian)] public uint? Operation;
    [NetlinkAttribute(NFTA_CMP.NFTA_CMP_DATA, Encoding = NetlinkEncoding.NestedWithFlag)] public NftDataAttributes Data;
}

/// <summary>"bitwise": <c>dreg = (sreg &amp; mask) ^ xor</c>.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftBitwiseAttributes
{
    [NetlinkAttribute(NFTA_BITWISE.NFTA_BITWISE_SREG, Encoding = NetlinkEncoding.BigEndian)] public uint? SourceRegister;
    [NetlinkAttribute(NFTA_BITWISE.NFTA_BITWISE_DREG, Encoding = NetlinkEncoding.BigEndian)] public uint? DestinationRegister;
    [NetlinkAttribute(NFTA_BITWISE.NFTA_BITWISE_LEN, Encoding = NetlinkEncoding.BigEndian)] public uint? Length;
    [NetlinkAttribute(NFTA_BITWISE.NFTA_BITWISE_MASK, Encoding = NetlinkEncoding.NestedWithFlag)] public NftDataAttributes Mask;
    [NetlinkAttribute(NFTA_BITWISE.NFTA_BITWISE_XOR, Encoding = NetlinkEncoding.NestedWithFlag)] public NftDataAttributes Xor;
}

/// <summary>"payload": load packet bytes into a register (DREG) or write a register into the packet (SREG, with checksum fixing).</summary>
[NetlinkAttributeSet]
internal partial struct NftPayloadAttributes
{
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_DREG, Encoding = NetlinkEncoding.BigEndian)] public uint? DestinationRegister;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_BASE, Encoding = NetlinkEncoding.BigEndian)] public uint? Base;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_OFFSET, Encoding = NetlinkEncoding.BigEndian)] public uint? Offset;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_LEN, Encoding = NetlinkEncoding.BigEndian)] public uint? Length;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_SREG, Encoding = NetlinkEncoding.BigEndian)] public uint? SourceRegister;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_CSUM_TYPE, Encoding = NetlinkEncoding.BigEndian)] public uint? ChecksumType;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_CSUM_OFFSET, Encoding = NetlinkEncoding.BigEndian)] public uint? ChecksumOffset;
    [NetlinkAttribute(NFTA_PAYLOAD.NFTA_PAYLOAD_CSUM_FLAGS, Encoding = NetlinkEncoding.BigEndian)] public uint? ChecksumFlags;
}

/// <summary>"meta": load (DREG) or set (SREG) packet metadata.</summary>
[NetlinkAttributeSet]
internal partial struct NftMetaAttributes
{
    [NetlinkAttribute(NFTA_META.NFTA_META_KEY, Encoding = NetlinkEncoding.BigEndian)] public uint? Key;
    [NetlinkAttribute(NFTA_META.NFTA_META_DREG, Encoding = NetlinkEncoding.BigEndian)] public uint? DestinationRegister;
    [NetlinkAttribute(NFTA_META.NFTA_META_SREG, Encoding = NetlinkEncoding.BigEndian)] public uint? SourceRegister;
}

/// <summary>"nat": snat/dnat to the address and port held in registers.</summary>
[NetlinkAttributeSet]
internal partial struct NftNatAttributes
{
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_TYPE, Encoding = NetlinkEncoding.BigEndian)] public uint? Type;
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_FAMILY, Encoding = NetlinkEncoding.BigEndian)] public uint? Family;
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_REG_ADDR_MIN, Encoding = NetlinkEncoding.BigEndian)] public uint? AddressMinRegister;
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_REG_ADDR_MAX, Encoding = NetlinkEncoding.BigEndian)] public uint? AddressMaxRegister;
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_REG_PROTO_MIN, Encoding = NetlinkEncoding.BigEndian)] public uint? ProtocolMinRegister;
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_REG_PROTO_MAX, Encoding = NetlinkEncoding.BigEndian)] public uint? ProtocolMaxRegister;
    [NetlinkAttribute(NFTA_NAT.NFTA_NAT_FLAGS, Encoding = NetlinkEncoding.BigEndian)] public uint? Flags;
}

/// <summary>"masq": source NAT to the output interface's address.</summary>
[NetlinkAttributeSet]
internal partial struct NftMasqueradeAttributes
{
    [NetlinkAttribute(NFTA_MASQ.NFTA_MASQ_FLAGS, Encoding = NetlinkEncoding.BigEndian)] public uint? Flags;
}

/// <summary>"fib": route lookup, e.g. the type of the destination address.</summary>
[NetlinkAttributeSet]
internal partial struct NftFibAttributes
{
    [NetlinkAttribute(NFTA_FIB.NFTA_FIB_DREG, Encoding = NetlinkEncoding.BigEndian)] public uint? DestinationRegister;
    [NetlinkAttribute(NFTA_FIB.NFTA_FIB_RESULT, Encoding = NetlinkEncoding.BigEndian)] public uint? Result;
    [NetlinkAttribute(NFTA_FIB.NFTA_FIB_FLAGS, Encoding = NetlinkEncoding.BigEndian)] public uint? Flags;
}

/// <summary>"counter": packets and bytes that reached it.</summary>
[NetlinkAttributeSet]
internal partial struct NftCounterAttributes
{
    [NetlinkAttribute(NFTA_COUNTER.NFTA_COUNTER_BYTES, Encoding = NetlinkEncoding.BigEndian)] public ulong? Bytes;
    [NetlinkAttribute(NFTA_COUNTER.NFTA_COUNTER_PACKETS, Encoding = NetlinkEncoding.BigEndian)] public ulong? Packets;
}

/// <summary>"match": an x_tables match (ebtables-nft's <c>--ip-dst</c>, <c>--arp-op</c> ...); INFO is the extension's own struct.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftMatchAttributes
{
    [NetlinkAttribute(NFTA_MATCH.NFTA_MATCH_NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(NFTA_MATCH.NFTA_MATCH_REV, Encoding = NetlinkEncoding.BigEndian)] public uint? Revision;
    [NetlinkAttribute(NFTA_MATCH.NFTA_MATCH_INFO)] public ReadOnlySpan<byte> Info;
}

/// <summary>"target": an x_tables target (ebtables-nft's <c>-j dnat</c>, <c>-j arpreply</c> ...); INFO is the extension's own struct.</summary>
[NetlinkAttributeSet]
internal ref partial struct NftTargetAttributes
{
    [NetlinkAttribute(NFTA_TARGET.NFTA_TARGET_NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(NFTA_TARGET.NFTA_TARGET_REV, Encoding = NetlinkEncoding.BigEndian)] public uint? Revision;
    [NetlinkAttribute(NFTA_TARGET.NFTA_TARGET_INFO)] public ReadOnlySpan<byte> Info;
}

/// <summary>NFT_MSG_NEWTABLE / DELTABLE.</summary>
[NetlinkMessage(typeof(nfgenmsg), typeof(NftTableAttributes))]
internal ref partial struct NftTableMessage;

/// <summary>NFT_MSG_NEWCHAIN / DELCHAIN.</summary>
[NetlinkMessage(typeof(nfgenmsg), typeof(NftChainAttributes))]
internal ref partial struct NftChainMessage;

/// <summary>NFT_MSG_NEWRULE / DELRULE / GETRULE (and the NEWRULE messages of a GETRULE dump).</summary>
[NetlinkMessage(typeof(nfgenmsg), typeof(NftRuleAttributes))]
internal ref partial struct NftRuleMessage;
