using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests;

/// <summary>Builds datagrams as the kernel would send them, for playing the kernel's part without a socket.</summary>
internal static class KernelReplies
{
    public const uint PortId = 4242;
    public const uint Sequence = 7;

    /// <summary>An RTM_NEWLINK reply for one link with the attributes a real dump carries.</summary>
    public static void WriteLink(ref NetlinkWriter writer, int index, string name, byte[] mac, uint mtu, int? master, string? kind, ushort flags = NLM_F.NLM_F_MULTI)
    {
        writer.BeginMessage(RTM.RTM_NEWLINK, flags);
        scoped var message = new LinkMessage { Header = new ifinfomsg { ifi_index = index, ifi_type = 1, ifi_flags = 0x1043 } };
        Span<byte> nameBytes = stackalloc byte[16];
        int length = System.Text.Encoding.UTF8.GetBytes(name, nameBytes);
        message.Attributes.Name = nameBytes[..length];
        message.Attributes.Address = mac;
        message.Attributes.Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        message.Attributes.Mtu = mtu;
        message.Attributes.Master = master;
        message.Attributes.TxQueueLength = 1000;
        message.Attributes.OperState = 6;
        message.Attributes.Carrier = 1;
        message.Attributes.MinMtu = 68;
        message.Attributes.MaxMtu = 65535;
        Span<byte> kindBytes = stackalloc byte[16];
        if (kind is not null)
            message.Attributes.LinkInfo.Kind = kindBytes[..System.Text.Encoding.UTF8.GetBytes(kind, kindBytes)];
        LinkMessage.Write(message, ref writer);
        writer.EndMessage();
        Stamp(ref writer);
    }

    public static void WriteDone(ref NetlinkWriter writer, int error = 0, ushort flags = NLM_F.NLM_F_MULTI)
    {
        writer.BeginMessage(NLMSG.NLMSG_DONE, flags);
        writer.WriteStruct(new DoneBody { error = error });
        writer.EndMessage();
        Stamp(ref writer);
    }

    /// <summary>An NLMSG_ERROR as a socket with NETLINK_CAP_ACK and NETLINK_EXT_ACK receives it.</summary>
    public static void WriteError(ref NetlinkWriter writer, int error, string? message = null)
    {
        ushort flags = NLM_F.NLM_F_CAPPED;
        if (message is not null)
            flags |= NLM_F.NLM_F_ACK_TLVS;
        writer.BeginMessage(NLMSG.NLMSG_ERROR, flags);
        writer.WriteStruct(new nlmsgerr { error = error, msg_len = 32, msg_type = RTM.RTM_NEWLINK, msg_seq = Sequence, msg_pid = PortId });
        if (message is not null)
            writer.WriteStringAttribute((ushort)NLMSGERR_ATTR.NLMSGERR_ATTR_MSG, message);
        writer.EndMessage();
        Stamp(ref writer);
    }

    public static byte[] Datagram(Encode.Encoder encoder) => Encode.With(encoder);

    /// <summary>Sets nlmsg_seq and nlmsg_pid of the message just ended.</summary>
    private static void Stamp(ref NetlinkWriter writer)
    {
        // The last message starts at the last header whose length reaches the end; walk to find it.
        ReadOnlySpan<byte> written = writer.WrittenSpan;
        int offset = 0, last = 0;
        while (offset < written.Length)
        {
            last = offset;
            offset += NetlinkAlign.Message(BitConverter.ToInt32(written[offset..]));
        }
        Span<byte> header = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(written), written.Length)[last..];
        BitConverter.TryWriteBytes(header[8..], Sequence);
        BitConverter.TryWriteBytes(header[12..], PortId);
    }
}

/// <summary>The int an NLMSG_DONE carries.</summary>
[AzureCni.Netlink.Generation.NetlinkStruct]
internal partial struct DoneBody
{
#pragma warning disable IDE1006
    public int error;
#pragma warning restore IDE1006
}
