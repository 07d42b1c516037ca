// Kernel constants in kernel spelling (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h, neighbour.h, socket.h).
#pragma warning disable CA1069 // the kernel reuses values across flag groups
#pragma warning disable IDE1006 // kernel spelling
namespace AzureCni.Netlink.Interop.Kernel;

internal static class AF
{
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_BRIDGE = 7;
    public const byte AF_INET6 = 10;
    public const int AF_NETLINK = 16;
}

internal static class NETLINK
{
    public const int NETLINK_ROUTE = 0;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;
}

/// <summary>Control message types (linux/netlink.h).</summary>
internal static class NLMSG
{
    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;
}

/// <summary><c>nlmsg_flags</c> (linux/netlink.h).</summary>
internal static class NLM_F
{
    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    // Modifiers to GET requests.
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    // Modifiers to NEW requests.
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    // Flags on NLMSG_ERROR acknowledgements.
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;
}

/// <summary>rtnetlink message types (linux/rtnetlink.h).</summary>
internal static class RTM
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_SETLINK = 19;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;
    public const ushort RTM_NEWRULE = 32;
    public const ushort RTM_DELRULE = 33;
    public const ushort RTM_GETRULE = 34;
}

/// <summary>FIB rule attributes (linux/fib_rules.h).</summary>
internal enum FRA : ushort
{
    FRA_PRIORITY = 6,
    FRA_FWMARK = 10,
    FRA_TABLE = 15,
    FRA_FWMASK = 16,
}

/// <summary>FIB rule actions (linux/fib_rules.h).</summary>
internal static class FR_ACT
{
    public const byte FR_ACT_TO_TBL = 1;
}

/// <summary>Extended-ack attributes after an <c>nlmsgerr</c> (linux/netlink.h).</summary>
internal enum NLMSGERR_ATTR : ushort
{
    NLMSGERR_ATTR_MSG = 1,
    NLMSGERR_ATTR_OFFS = 2,
    NLMSGERR_ATTR_COOKIE = 3,
    NLMSGERR_ATTR_MISS_TYPE = 5,
    NLMSGERR_ATTR_MISS_NEST = 6,
}

/// <summary>Link attributes (linux/if_link.h).</summary>
internal enum IFLA : ushort
{
    IFLA_ADDRESS = 1,
    IFLA_BROADCAST = 2,
    IFLA_IFNAME = 3,
    IFLA_MTU = 4,
    IFLA_LINK = 5,
    IFLA_MASTER = 10,
    IFLA_PROTINFO = 12,
    IFLA_TXQLEN = 13,
    IFLA_OPERSTATE = 16,
    IFLA_LINKMODE = 17,
    IFLA_LINKINFO = 18,
    IFLA_GROUP = 27,
    IFLA_NET_NS_FD = 28,
    IFLA_EXT_MASK = 29,
    IFLA_PROMISCUITY = 30,
    IFLA_CARRIER = 33,
    IFLA_LINK_NETNSID = 37,
    IFLA_MIN_MTU = 50,
    IFLA_MAX_MTU = 51,
}

/// <summary>Nested in <c>IFLA_LINKINFO</c> (linux/if_link.h).</summary>
internal enum IFLA_INFO : ushort
{
    IFLA_INFO_KIND = 1,
    IFLA_INFO_DATA = 2,
    IFLA_INFO_XSTATS = 3,
    IFLA_INFO_SLAVE_KIND = 4,
    IFLA_INFO_SLAVE_DATA = 5,
}

/// <summary>Nested in veth's <c>IFLA_INFO_DATA</c> (linux/veth.h).</summary>
internal enum VETH_INFO : ushort
{
    VETH_INFO_PEER = 1,
}

/// <summary>Nested in macvlan's <c>IFLA_INFO_DATA</c> (linux/if_link.h).</summary>
internal enum IFLA_MACVLAN : ushort
{
    IFLA_MACVLAN_MODE = 1,
    IFLA_MACVLAN_FLAGS = 2,
}

/// <summary>Nested in vxlan's <c>IFLA_INFO_DATA</c> (linux/if_link.h).</summary>
internal enum IFLA_VXLAN : ushort
{
    IFLA_VXLAN_ID = 1,
    IFLA_VXLAN_GROUP = 2,
    IFLA_VXLAN_LINK = 3,
    IFLA_VXLAN_LOCAL = 4,
    IFLA_VXLAN_TTL = 5,
    IFLA_VXLAN_LEARNING = 7,
    IFLA_VXLAN_PORT = 15,
    IFLA_VXLAN_GROUP6 = 16,
    IFLA_VXLAN_LOCAL6 = 17,
}

/// <summary>Nested in vlan's <c>IFLA_INFO_DATA</c> (linux/if_link.h).</summary>
internal enum IFLA_VLAN : ushort
{
    IFLA_VLAN_ID = 1,
    IFLA_VLAN_PROTOCOL = 5,
}

/// <summary>Bridge port attributes, nested in <c>IFLA_PROTINFO</c> or <c>IFLA_INFO_SLAVE_DATA</c> (linux/if_link.h).</summary>
internal enum IFLA_BRPORT : ushort
{
    IFLA_BRPORT_STATE = 1,
    IFLA_BRPORT_PRIORITY = 2,
    IFLA_BRPORT_COST = 3,
    IFLA_BRPORT_MODE = 4,
    IFLA_BRPORT_GUARD = 5,
    IFLA_BRPORT_LEARNING = 8,
    IFLA_BRPORT_PROXYARP = 10,
}

/// <summary>Address attributes (linux/if_addr.h).</summary>
internal enum IFA : ushort
{
    IFA_ADDRESS = 1,
    IFA_LOCAL = 2,
    IFA_LABEL = 3,
    IFA_BROADCAST = 4,
    IFA_CACHEINFO = 6,
    IFA_FLAGS = 8,
}

/// <summary>Route attributes (linux/rtnetlink.h).</summary>
internal enum RTA : ushort
{
    RTA_DST = 1,
    RTA_SRC = 2,
    RTA_IIF = 3,
    RTA_OIF = 4,
    RTA_GATEWAY = 5,
    RTA_PRIORITY = 6,
    RTA_PREFSRC = 7,
    RTA_TABLE = 15,
}

/// <summary>Neighbour attributes (linux/neighbour.h).</summary>
internal enum NDA : ushort
{
    NDA_DST = 1,
    NDA_LLADDR = 2,
    NDA_PROBES = 4,
    NDA_IFINDEX = 8,
}

internal static class RT_TABLE
{
    public const byte RT_TABLE_UNSPEC = 0;
    public const byte RT_TABLE_MAIN = 254;
}

internal static class RTN
{
    public const byte RTN_UNICAST = 1;
}

internal static class IFF
{
    public const uint IFF_UP = 0x1;
}

internal static class MACVLAN_MODE
{
    public const uint MACVLAN_MODE_BRIDGE = 4;
}

internal static class ERRNO
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int EAGAIN = 11;
    public const int ENOBUFS = 105;
    public const int EOPNOTSUPP = 95;
    public const int EADDRNOTAVAIL = 99;
}
