using System.Text;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Protocol;

/// <summary>Receives the payload of each data message of a reply.</summary>
internal delegate void NetlinkMessageHandler<TState>(TState state, ushort messageType, ReadOnlySpan<byte> payload);

/// <summary>
/// Interprets the datagrams that answer one request: messages for other sequence numbers or ports are skipped,
/// data messages go to the handler, and the request completes only on an ACK (NLMSG_ERROR with error 0) or
/// NLMSG_DONE. Kept free of I/O so tests can play the kernel's part with byte arrays.
/// </summary>
internal struct NetlinkReply(uint sequence, uint portId, NetlinkOperation operation)
{
    /// <summary>Set once any message of the reply carried NLM_F_DUMP_INTR.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>Processes one datagram; true when the request is complete.</summary>
    /// <exception cref="NetlinkException">The kernel answered with an error.</exception>
    /// <exception cref="NetlinkDecodeException">The datagram is malformed.</exception>
    public bool Process<TState>(ReadOnlySpan<byte> datagram, TState state, NetlinkMessageHandler<TState>? handler)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.MoveNext())
        {
            // A late answer to an earlier, abandoned request, or traffic not addressed to this socket.
            if (reader.Sequence != sequence || reader.PortId != portId)
                continue;
            if ((reader.Flags & NLM_F.NLM_F_DUMP_INTR) != 0)
                Interrupted = true;

            switch (reader.MessageType)
            {
                case NLMSG.NLMSG_NOOP:
                    continue;
                case NLMSG.NLMSG_ERROR:
                    ThrowIfError(reader.Flags, reader.Payload, operation);
                    return true;
                case NLMSG.NLMSG_DONE:
                    ThrowIfDoneError(reader.Flags, reader.Payload, operation);
                    return true;
                case NLMSG.NLMSG_OVERRUN:
                    throw new NetlinkException(ERRNO.ENOBUFS, operation.ToString(), "netlink overrun");
                default:
                    handler?.Invoke(state, reader.MessageType, reader.Payload);
                    break;
            }
        }

        if (reader.Error != NetlinkDecodeError.None)
            NetlinkDecodeException.Throw(reader.Error, "netlink message header");
        return false;
    }

    /// <summary>Throws the error an NLMSG_ERROR carries; returns for an ACK.</summary>
    internal static void ThrowIfError(ushort flags, ReadOnlySpan<byte> payload, NetlinkOperation operation)
    {
        if (!nlmsgerr.TryRead(payload, out nlmsgerr error))
            NetlinkDecodeException.Throw(NetlinkDecodeError.Truncated, "nlmsgerr");
        if (error.error == 0)
            return;
        if (error.error > 0)
            NetlinkDecodeException.Throw(NetlinkDecodeError.Unexpected, "nlmsgerr");

        // With NETLINK_CAP_ACK the request is cut to its header (NLM_F_CAPPED); otherwise it is echoed whole.
        int tlvOffset = nlmsgerr.Size;
        if ((flags & NLM_F.NLM_F_CAPPED) == 0)
        {
            if (error.msg_len < NetlinkAlign.MessageHeaderLength)
                NetlinkDecodeException.Throw(NetlinkDecodeError.BadLength, "nlmsgerr");
            tlvOffset = sizeof(int) + NetlinkAlign.Message((int)Math.Min(error.msg_len, int.MaxValue - 8));
        }
        throw new NetlinkException(-error.error, operation.ToString(), ExtendedAckText(flags, payload, tlvOffset));
    }

    private static void ThrowIfDoneError(ushort flags, ReadOnlySpan<byte> payload, NetlinkOperation operation)
    {
        // NLMSG_DONE carries an int: 0, or a negative errno when the dump failed part-way.
        if (payload.Length < sizeof(int))
            return;
        int error = System.Runtime.InteropServices.MemoryMarshal.Read<int>(payload);
        if (error < 0)
            throw new NetlinkException(-error, operation.ToString(), ExtendedAckText(flags, payload, sizeof(int)));
    }

    private static string? ExtendedAckText(ushort flags, ReadOnlySpan<byte> payload, int tlvOffset)
    {
        if ((flags & NLM_F.NLM_F_ACK_TLVS) == 0 || tlvOffset >= payload.Length)
            return null;
        if (!ExtendedAckAttributes.TryRead(payload[tlvOffset..], out ExtendedAckAttributes ack, out NetlinkDecodeError decodeError))
            NetlinkDecodeException.Throw(decodeError, "extended ack");
        return ack.Message.IsEmpty ? null : Encoding.UTF8.GetString(ack.Message);
    }
}
