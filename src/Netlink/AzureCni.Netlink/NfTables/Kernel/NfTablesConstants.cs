// nf_tables constants in kernel spelling (linux/netfilter/nfnetlink.h, linux/netfilter/nf_tables.h,
// linux/netfilter.h, linux/netfilter/nf_nat.h), so they grep against the headers.
#pragma warning disable CA1069 // the kernel reuses values across groups
#pragma warning disable IDE1006 // kernel spelling
namespace AzureCni.Netlink.Interop.Kernel;

internal static class NETLINK_NETFILTER
{
    /// <summary><c>#define NETLINK_NETFILTER 12</c> (linux/netlink.h).</summary>
    public const int Protocol = 12;
}

/// <summary>nfnetlink framing (linux/netfilter/nfnetlink.h).</summary>
internal static class NFNL
{
    public const byte NFNETLINK_V0 = 0;

    /// <summary><c>NFNL_MSG_BATCH_BEGIN = NLMSG_MIN_TYPE</c>.</summary>
    public const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    public const ushort NFNL_MSG_BATCH_END = 0x11;

    public const ushort NFNL_SUBSYS_NFTABLES = 10;

    /// <summary><c>#define NFNL_MSG_TYPE(x) ((x) &amp; 0x00ff)</c> inverted: the subsystem goes in the high byte.</summary>
    public static ushort MessageType(ushort nftMessage) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | nftMessage);
}

/// <summary><c>enum nf_tables_msg_types</c>.</summary>
internal static class NFT_MSG
{
    public const ushort NFT_MSG_NEWTABLE = 0;
    public const ushort NFT_MSG_GETTABLE = 1;
    public const ushort NFT_MSG_DELTABLE = 2;
    public const ushort NFT_MSG_NEWCHAIN = 3;
    public const ushort NFT_MSG_GETCHAIN = 4;
    public const ushort NFT_MSG_DELCHAIN = 5;
    public const ushort NFT_MSG_NEWRULE = 6;
    public const ushort NFT_MSG_GETRULE = 7;
    public const ushort NFT_MSG_DELRULE = 8;
    public const ushort NFT_MSG_NEWGEN = 15;
    public const ushort NFT_MSG_GETGEN = 16;
}

/// <summary>nlmsg_flags the nf_tables verbs add to NLM_F_* (linux/netlink.h).</summary>
internal static class NFT_NLM_F
{
    /// <summary><c>NLM_F_APPEND</c>: add the rule at the end of the chain (nft's "add rule").</summary>
    public const ushort NLM_F_APPEND = 0x800;
}

/// <summary><c>NFPROTO_*</c> (linux/netfilter.h): the family byte of <c>nfgenmsg</c>.</summary>
internal static class NFPROTO
{
    public const byte NFPROTO_UNSPEC = 0;
    public const byte NFPROTO_INET = 1;
    public const byte NFPROTO_IPV4 = 2;
    public const byte NFPROTO_ARP = 3;
    public const byte NFPROTO_NETDEV = 5;
    public const byte NFPROTO_BRIDGE = 7;
    public const byte NFPROTO_IPV6 = 10;
}

/// <summary><c>enum nf_inet_hooks</c> (also the bridge hooks' numbers, <c>NF_BR_*</c>).</summary>
internal static class NF_INET
{
    public const uint NF_INET_PRE_ROUTING = 0;
    public const uint NF_INET_LOCAL_IN = 1;
    public const uint NF_INET_FORWARD = 2;
    public const uint NF_INET_LOCAL_OUT = 3;
    public const uint NF_INET_POST_ROUTING = 4;
}

/// <summary>Netfilter verdicts (linux/netfilter.h) and nf_tables' own (<c>enum nft_verdicts</c>).</summary>
public static class NF_VERDICT
{
    public const int NF_DROP = 0;
    public const int NF_ACCEPT = 1;
    public const int NFT_CONTINUE = -1;
    public const int NFT_BREAK = -2;
    public const int NFT_JUMP = -3;
    public const int NFT_GOTO = -4;
    public const int NFT_RETURN = -5;
}

/// <summary><c>enum nft_registers</c>: 0 is the verdict, 1..4 the 16-byte data registers.</summary>
public static class NFT_REG
{
    public const uint NFT_REG_VERDICT = 0;
    public const uint NFT_REG_1 = 1;
    public const uint NFT_REG_2 = 2;
    public const uint NFT_REG_3 = 3;
    public const uint NFT_REG_4 = 4;
}

internal enum NFTA_TABLE : ushort
{
    NFTA_TABLE_NAME = 1,
    NFTA_TABLE_FLAGS = 2,
    NFTA_TABLE_USE = 3,
    NFTA_TABLE_HANDLE = 4,
}

internal enum NFTA_CHAIN : ushort
{
    NFTA_CHAIN_TABLE = 1,
    NFTA_CHAIN_HANDLE = 2,
    NFTA_CHAIN_NAME = 3,
    NFTA_CHAIN_HOOK = 4,
    NFTA_CHAIN_POLICY = 5,
    NFTA_CHAIN_USE = 6,
    NFTA_CHAIN_TYPE = 7,
}

internal enum NFTA_HOOK : ushort
{
    NFTA_HOOK_HOOKNUM = 1,
    NFTA_HOOK_PRIORITY = 2,
    NFTA_HOOK_DEV = 3,
}

internal enum NFTA_RULE : ushort
{
    NFTA_RULE_TABLE = 1,
    NFTA_RULE_CHAIN = 2,
    NFTA_RULE_HANDLE = 3,
    NFTA_RULE_EXPRESSIONS = 4,
    NFTA_RULE_COMPAT = 5,
    NFTA_RULE_POSITION = 6,
    NFTA_RULE_USERDATA = 7,
}

internal enum NFTA_LIST : ushort
{
    NFTA_LIST_ELEM = 1,
}

internal enum NFTA_EXPR : ushort
{
    NFTA_EXPR_NAME = 1,
    NFTA_EXPR_DATA = 2,
}

internal enum NFTA_DATA : ushort
{
    NFTA_DATA_VALUE = 1,
    NFTA_DATA_VERDICT = 2,
}

internal enum NFTA_VERDICT : ushort
{
    NFTA_VERDICT_CODE = 1,
    NFTA_VERDICT_CHAIN = 2,
}

internal enum NFTA_IMMEDIATE : ushort
{
    NFTA_IMMEDIATE_DREG = 1,
    NFTA_IMMEDIATE_DATA = 2,
}

internal enum NFTA_CMP : ushort
{
    NFTA_CMP_SREG = 1,
    NFTA_CMP_OP = 2,
    NFTA_CMP_DATA = 3,
}

/// <summary><c>enum nft_cmp_ops</c>.</summary>
internal static class NFT_CMP
{
    public const uint NFT_CMP_EQ = 0;
    public const uint NFT_CMP_NEQ = 1;
}

internal enum NFTA_BITWISE : ushort
{
    NFTA_BITWISE_SREG = 1,
    NFTA_BITWISE_DREG = 2,
    NFTA_BITWISE_LEN = 3,
    NFTA_BITWISE_MASK = 4,
    NFTA_BITWISE_XOR = 5,
}

internal enum NFTA_PAYLOAD : ushort
{
    NFTA_PAYLOAD_DREG = 1,
    NFTA_PAYLOAD_BASE = 2,
    NFTA_PAYLOAD_OFFSET = 3,
    NFTA_PAYLOAD_LEN = 4,
    NFTA_PAYLOAD_SREG = 5,
    NFTA_PAYLOAD_CSUM_TYPE = 6,
    NFTA_PAYLOAD_CSUM_OFFSET = 7,
    NFTA_PAYLOAD_CSUM_FLAGS = 8,
}

/// <summary><c>enum nft_payload_bases</c>, <c>enum nft_payload_csum_types</c>, <c>enum nft_payload_csum_flags</c>.</summary>
public static class NFT_PAYLOAD
{
    public const uint NFT_PAYLOAD_LL_HEADER = 0;
    public const uint NFT_PAYLOAD_NETWORK_HEADER = 1;
    public const uint NFT_PAYLOAD_TRANSPORT_HEADER = 2;

    public const uint NFT_PAYLOAD_CSUM_NONE = 0;
    public const uint NFT_PAYLOAD_CSUM_INET = 1;

    public const uint NFT_PAYLOAD_L4CSUM_PSEUDOHDR = 1;
}

internal enum NFTA_META : ushort
{
    NFTA_META_DREG = 1,
    NFTA_META_KEY = 2,
    NFTA_META_SREG = 3,
}

/// <summary><c>enum nft_meta_keys</c> (the ones used here).</summary>
public static class NFT_META
{
    public const uint NFT_META_PROTOCOL = 1;
    public const uint NFT_META_MARK = 3;
    public const uint NFT_META_IIFNAME = 6;
    public const uint NFT_META_OIFNAME = 7;
    public const uint NFT_META_NFPROTO = 15;
    public const uint NFT_META_L4PROTO = 16;
    public const uint NFT_META_PKTTYPE = 19;
}

internal enum NFTA_NAT : ushort
{
    NFTA_NAT_TYPE = 1,
    NFTA_NAT_FAMILY = 2,
    NFTA_NAT_REG_ADDR_MIN = 3,
    NFTA_NAT_REG_ADDR_MAX = 4,
    NFTA_NAT_REG_PROTO_MIN = 5,
    NFTA_NAT_REG_PROTO_MAX = 6,
    NFTA_NAT_FLAGS = 7,
}

/// <summary><c>enum nft_nat_types</c> and <c>NF_NAT_RANGE_*</c> (linux/netfilter/nf_nat.h).</summary>
public static class NFT_NAT
{
    public const uint NFT_NAT_SNAT = 0;
    public const uint NFT_NAT_DNAT = 1;

    public const uint NF_NAT_RANGE_MAP_IPS = 1;
    public const uint NF_NAT_RANGE_PROTO_SPECIFIED = 2;
}

internal enum NFTA_MASQ : ushort
{
    NFTA_MASQ_FLAGS = 1,
    NFTA_MASQ_REG_PROTO_MIN = 2,
    NFTA_MASQ_REG_PROTO_MAX = 3,
}

internal enum NFTA_FIB : ushort
{
    NFTA_FIB_DREG = 1,
    NFTA_FIB_RESULT = 2,
    NFTA_FIB_FLAGS = 3,
}

/// <summary><c>enum nft_fib_result</c>, <c>enum nft_fib_flags</c>, and the <c>RTN_*</c> address type fib compares with.</summary>
public static class NFT_FIB
{
    public const uint NFT_FIB_RESULT_ADDRTYPE = 3;
    public const uint NFTA_FIB_F_DADDR = 1 << 1;
    public const uint RTN_LOCAL = 2;
}

/// <summary>Attributes of the "match" expression (nft_compat: an x_tables match run by nf_tables).</summary>
internal enum NFTA_MATCH : ushort
{
    NFTA_MATCH_NAME = 1,
    NFTA_MATCH_REV = 2,
    NFTA_MATCH_INFO = 3,
}

/// <summary>Attributes of the "target" expression (nft_compat: an x_tables target run by nf_tables).</summary>
internal enum NFTA_TARGET : ushort
{
    NFTA_TARGET_NAME = 1,
    NFTA_TARGET_REV = 2,
    NFTA_TARGET_INFO = 3,
}

internal enum NFTA_COUNTER : ushort
{
    NFTA_COUNTER_BYTES = 1,
    NFTA_COUNTER_PACKETS = 2,
}

/// <summary>libnftnl's rule userdata TLVs (libnftnl/udata.h): what nft shows as <c>comment "..."</c>.</summary>
internal static class NFTNL_UDATA
{
    public const byte NFTNL_UDATA_RULE_COMMENT = 0;

    /// <summary><c>NFTNL_UDATA_COMMENT_MAXLEN</c>, NUL included.</summary>
    public const int NFTNL_UDATA_COMMENT_MAXLEN = 128;
}
