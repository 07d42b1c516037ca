namespace AzureCni.Netlink.Generation;

/// <summary>How an attribute value is laid out in its payload.</summary>
public enum NetlinkEncoding
{
    /// <summary>Integers in host byte order (the netlink default); spans as raw bytes.</summary>
    Native = 0,

    /// <summary>A NUL-terminated string (<c>NLA_NUL_STRING</c>/<c>NLA_STRING</c>); the NUL is added on write and dropped on read.</summary>
    String = 1,

    /// <summary>An integer in network byte order (e.g. <c>IFLA_VXLAN_PORT</c>, a <c>__be16</c>).</summary>
    BigEndian = 2,

    /// <summary>A nested attribute set written with <c>NLA_F_NESTED</c> in its type (required e.g. for <c>IFLA_PROTINFO</c>).</summary>
    NestedWithFlag = 3,
}
