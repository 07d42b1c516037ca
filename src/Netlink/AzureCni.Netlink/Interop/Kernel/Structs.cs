using AzureCni.Netlink.Generation;

// Kernel structs in kernel spelling (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/neighbour.h),
// so they can be grepped against the headers. Layout and codecs are generated from the field order.
#pragma warning disable IDE1006 // kernel spelling
namespace AzureCni.Netlink.Interop.Kernel;

/// <summary><c>struct nlmsghdr</c> (linux/netlink.h).</summary>
[NetlinkStruct]
internal partial struct nlmsghdr
{
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;
}

/// <summary><c>struct nlmsgerr</c> (linux/netlink.h) with its embedded <c>nlmsghdr msg</c> flattened.</summary>
[NetlinkStruct]
internal partial struct nlmsgerr
{
    public int error;
    public uint msg_len;
    public ushort msg_type;
    public ushort msg_flags;
    public uint msg_seq;
    public uint msg_pid;
}

/// <summary><c>struct rtgenmsg</c> (linux/rtnetlink.h): the header of a generic dump request.</summary>
[NetlinkStruct]
internal partial struct rtgenmsg
{
    public byte rtgen_family;
}

/// <summary><c>struct ifinfomsg</c> (linux/rtnetlink.h).</summary>
[NetlinkStruct]
internal partial struct ifinfomsg
{
    public byte ifi_family;
    public byte __ifi_pad;
    public ushort ifi_type;
    public int ifi_index;
    public uint ifi_flags;
    public uint ifi_change;
}

/// <summary><c>struct ifaddrmsg</c> (linux/if_addr.h).</summary>
[NetlinkStruct]
internal partial struct ifaddrmsg
{
    public byte ifa_family;
    public byte ifa_prefixlen;
    public byte ifa_flags;
    public byte ifa_scope;
    public int ifa_index;
}

/// <summary><c>struct ifa_cacheinfo</c> (linux/if_addr.h).</summary>
[NetlinkStruct]
internal partial struct ifa_cacheinfo
{
    public uint ifa_prefered;
    public uint ifa_valid;
    public uint cstamp;
    public uint tstamp;
}

/// <summary><c>struct rtmsg</c> (linux/rtnetlink.h).</summary>
[NetlinkStruct]
internal partial struct rtmsg
{
    public byte rtm_family;
    public byte rtm_dst_len;
    public byte rtm_src_len;
    public byte rtm_tos;
    public byte rtm_table;
    public byte rtm_protocol;
    public byte rtm_scope;
    public byte rtm_type;
    public uint rtm_flags;
}

/// <summary><c>struct fib_rule_hdr</c> (linux/fib_rules.h).</summary>
[NetlinkStruct]
internal partial struct fib_rule_hdr
{
    public byte family;
    public byte dst_len;
    public byte src_len;
    public byte tos;
    public byte table;
    public byte res1;
    public byte res2;
    public byte action;
    public uint flags;
}

/// <summary><c>struct ndmsg</c> (linux/neighbour.h).</summary>
[NetlinkStruct]
internal partial struct ndmsg
{
    public byte ndm_family;
    public byte ndm_pad1;
    public ushort ndm_pad2;
    public int ndm_ifindex;
    public ushort ndm_state;
    public byte ndm_flags;
    public byte ndm_type;
}
