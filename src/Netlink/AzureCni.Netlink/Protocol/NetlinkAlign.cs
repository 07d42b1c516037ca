namespace AzureCni.Netlink.Protocol;

/// <summary>Netlink alignment arithmetic; each helper mirrors the kernel macro quoted above it.</summary>
public static class NetlinkAlign
{
    // #define NLMSG_ALIGNTO 4U
    public const int MessageAlignment = 4;

    // #define NLA_ALIGNTO 4
    public const int AttributeAlignment = 4;

    // #define NLMSG_HDRLEN ((int) NLMSG_ALIGN(sizeof(struct nlmsghdr)))
    public const int MessageHeaderLength = 16;

    // #define NLA_HDRLEN ((int) NLA_ALIGN(sizeof(struct nlattr)))
    public const int AttributeHeaderLength = 4;

    // #define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )
    public static int Message(int length) => (length + MessageAlignment - 1) & ~(MessageAlignment - 1);

    // #define NLA_ALIGN(len) (((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))
    public static int Attribute(int length) => (length + AttributeAlignment - 1) & ~(AttributeAlignment - 1);

    // #define NLMSG_LENGTH(len) ((len) + NLMSG_HDRLEN)
    public static int MessageLength(int payloadLength) => payloadLength + MessageHeaderLength;
}
