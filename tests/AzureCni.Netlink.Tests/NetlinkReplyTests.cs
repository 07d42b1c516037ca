using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests;

/// <summary>Reply handling with the kernel played by byte arrays: completion, errors, sequence checks, interrupted dumps.</summary>
public sealed class NetlinkReplyTests
{
    private static readonly NetlinkOperation Operation = new("test op", "eth0");

    private static bool Process(ref NetlinkReply reply, byte[] datagram, List<string> names) =>
        reply.Process(datagram, names, static (list, type, payload) =>
        {
            if (type == RTM.RTM_NEWLINK)
                list.Add(ReplyDecoder.DecodeLink(payload).Name);
        });

    [Fact]
    public void Dump_SpanningTwoDatagrams_CompletesOnlyOnDone()
    {
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);
        var names = new List<string>();
        byte[] first = KernelReplies.Datagram((ref w) =>
        {
            KernelReplies.WriteLink(ref w, 1, "lo", new byte[6], 65536, null, null);
            KernelReplies.WriteLink(ref w, 2, "eth0", [2, 0, 0, 0, 0, 2], 1500, 3, "veth");
        });
        byte[] second = KernelReplies.Datagram((ref w) =>
        {
            KernelReplies.WriteLink(ref w, 3, "br0", [2, 0, 0, 0, 0, 3], 1500, null, "bridge");
            KernelReplies.WriteDone(ref w);
        });

        Assert.False(Process(ref reply, first, names));
        Assert.True(Process(ref reply, second, names));
        Assert.Equal(["lo", "eth0", "br0"], names);
        Assert.False(reply.Interrupted);
    }

    [Fact]
    public void Ack_CompletesRequest()
    {
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);
        Assert.True(Process(ref reply, KernelReplies.Datagram((ref w) => KernelReplies.WriteError(ref w, 0)), []));
    }

    [Fact]
    public void Error_WithExtendedAck_RaisesErrnoAndKernelText()
    {
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);
        byte[] datagram = KernelReplies.Datagram((ref w) => KernelReplies.WriteError(ref w, -95, "Unknown device type"));

        var e = Assert.Throws<NetlinkException>(() => Process(ref reply, datagram, []));

        Assert.Equal(95, e.Errno);
        Assert.Equal("Unknown device type", e.ExtendedAck);
        Assert.Contains("test op 'eth0'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown device type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_NotCapped_FindsExtendedAckAfterTheEchoedRequest()
    {
        byte[] datagram = Hex.Parse("""
            3c000000 0200 0002 07000000 92100000   # NLMSG_ERROR, ACK_TLVS (not capped), seq 7, pid 4242
            efffffff                               # error -17 (EEXIST)
            14000000 1000 0506 07000000 92100000   # echoed request header, nlmsg_len 20
            01020304                               # echoed request payload
            0b00 0100 66696c652121 00 00           # NLMSGERR_ATTR_MSG "file!!\0" + 1 pad
            0800 0200 14000000                     # NLMSGERR_ATTR_OFFS 20
            """);
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);

        var e = Assert.Throws<NetlinkException>(() => Process(ref reply, datagram, []));

        Assert.Equal(17, e.Errno);
        Assert.True(e.IsAlreadyExists);
        Assert.Equal("file!!", e.ExtendedAck);
    }

    [Fact]
    public void MessagesForOtherSequenceOrPort_AreSkipped()
    {
        var reply = new NetlinkReply(KernelReplies.Sequence + 1, KernelReplies.PortId, Operation);
        var names = new List<string>();
        byte[] stale = KernelReplies.Datagram((ref w) =>
        {
            KernelReplies.WriteLink(ref w, 1, "lo", new byte[6], 65536, null, null);
            KernelReplies.WriteError(ref w, -1, "stale failure");
            KernelReplies.WriteDone(ref w);
        });

        Assert.False(Process(ref reply, stale, names));
        Assert.Empty(names);

        var otherPort = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId + 1, Operation);
        Assert.False(Process(ref otherPort, stale, names));
        Assert.Empty(names);
    }

    [Fact]
    public void DumpInterruptedFlag_IsReported()
    {
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);
        byte[] datagram = KernelReplies.Datagram((ref w) =>
        {
            KernelReplies.WriteLink(ref w, 1, "lo", new byte[6], 65536, null, null, NLM_F.NLM_F_MULTI | NLM_F.NLM_F_DUMP_INTR);
            KernelReplies.WriteDone(ref w, 0, NLM_F.NLM_F_MULTI | NLM_F.NLM_F_DUMP_INTR);
        });

        Assert.True(Process(ref reply, datagram, []));
        Assert.True(reply.Interrupted);
    }

    [Fact]
    public void DoneWithNegativeErrno_Raises()
    {
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);
        var e = Assert.Throws<NetlinkException>(() => Process(ref reply, KernelReplies.Datagram((ref w) => KernelReplies.WriteDone(ref w, -22)), []));
        Assert.Equal(22, e.Errno);
    }

    [Fact]
    public void TruncatedDatagram_RaisesDecodeError()
    {
        byte[] datagram = KernelReplies.Datagram((ref w) => KernelReplies.WriteLink(ref w, 1, "lo", new byte[6], 65536, null, null));
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);

        var e = Assert.Throws<NetlinkDecodeException>(() => Process(ref reply, datagram[..^4], []));

        Assert.Equal(NetlinkDecodeError.BadLength, e.Error);
    }

    [Fact]
    public void Overrun_Raises()
    {
        byte[] datagram = Hex.Parse("10000000 0400 0000 07000000 92100000");
        var reply = new NetlinkReply(KernelReplies.Sequence, KernelReplies.PortId, Operation);
        Assert.Equal(105, Assert.Throws<NetlinkException>(() => Process(ref reply, datagram, [])).Errno);
    }
}
