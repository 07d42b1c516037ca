using System.Buffers.Binary;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests.NfTables;

/// <summary>
/// Plays nf_tables at the datagram boundary. A batch is answered as nfnetlink does: one NLMSG_ERROR per message
/// that asked for an ACK (error 0, or the errno <see cref="Fail"/> picks, with extended-ack text), possibly
/// spread over several datagrams with unrelated messages mixed in. A GETRULE dump is answered with the rules
/// <see cref="Rules"/> holds for the requested family and table, then NLMSG_DONE.
/// </summary>
internal sealed class FakeNfTablesKernel : INetlinkTransport
{
    private readonly Queue<byte[]> _pending = new();
    private byte[] _current = [];

    public uint PortId => 4242;

    public List<byte[]> Requests { get; } = [];

    /// <summary>(batch index, message type) to errno; 0 acknowledges.</summary>
    public Func<int, ushort, int> Fail { get; set; } = (_, _) => 0;

    /// <summary>Splits batch answers into datagrams of this many messages.</summary>
    public int MessagesPerDatagram { get; set; } = int.MaxValue;

    public List<(NfFamily Family, string Table, string Chain, ulong Handle, string? Tag)> Rules { get; } = [];

    public int PendingDatagrams => _pending.Count;

    /// <summary>Answers nothing to batches, as nfnetlink does when it aborts a malformed batch.</summary>
    public bool SilentAbort { get; set; }

    public void Send(ReadOnlySpan<byte> request, NetlinkOperation operation)
    {
        Requests.Add(request.ToArray());
        var answers = new List<byte[]>();
        var reader = new NetlinkMessageReader(request);
        int index = 0;
        while (reader.MoveNext())
        {
            if (reader.MessageType == NFNL.MessageType(NFT_MSG.NFT_MSG_GETRULE))
            {
                AnswerDump(reader.Sequence, reader.Payload);
                return;
            }
            if (reader.MessageType == NFNL.MessageType(NFT_MSG.NFT_MSG_GETGEN))
            {
                // NEWGEN, then the ACK.
                byte[] generation = new byte[64];
                var writer = new NetlinkWriter(generation);
                writer.BeginMessage(NFNL.MessageType(NFT_MSG.NFT_MSG_NEWGEN), 0);
                writer.WriteStruct(new nfgenmsg());
                writer.WriteAttributeBigEndian(1, 77u); // NFTA_GEN_ID
                writer.EndMessage();
                byte[] message = writer.WrittenSpan.ToArray();
                Stamp(message, reader.Sequence, PortId);
                _pending.Enqueue([.. message, .. Error(reader.Sequence, reader.MessageType, 0, null)]);
                return;
            }
            if (SilentAbort)
                return;
            int errno = Fail(index, reader.MessageType);
            if ((reader.Flags & NLM_F.NLM_F_ACK) != 0 || errno != 0)
                answers.Add(Error(reader.Sequence, reader.MessageType, errno, errno != 0 ? "Could not process rule" : null));
            index++;
        }

        // Noise the client must skip: a message for another port and one for an old sequence number.
        answers.Insert(0, Error(1, 0, 0, null, portId: 99));
        answers.Insert(0, Error(12345, 0, 0, null));
        for (int i = 0; i < answers.Count; i += MessagesPerDatagram)
            _pending.Enqueue(answers.Skip(i).Take(MessagesPerDatagram).SelectMany(a => a).ToArray());
    }

    public ReadOnlySpan<byte> Receive(NetlinkOperation operation)
    {
        Assert.True(_pending.Count > 0, $"{operation}: the client waits for a datagram the kernel would not send");
        _current = _pending.Dequeue();
        return _current;
    }

    public void Dispose()
    {
    }

    private void AnswerDump(uint sequence, ReadOnlySpan<byte> payload)
    {
        Assert.True(NftRuleMessage.TryRead(payload, out NftRuleMessage request, out _));
        var family = (NfFamily)request.Header.nfgen_family;
        string table = Encoding.UTF8.GetString(request.Attributes.Table);
        byte[] buffer = new byte[16384];
        var writer = new NetlinkWriter(buffer);
        foreach (var rule in Rules.Where(r => r.Family == family && r.Table == table))
            WriteRule(ref writer, rule.Family, rule.Table, rule.Chain, rule.Handle, rule.Tag);
        writer.BeginMessage(NLMSG.NLMSG_DONE, NLM_F.NLM_F_MULTI);
        writer.WriteAttribute(0, default(ReadOnlySpan<byte>)); // 4 zero bytes: the int error
        writer.EndMessage();
        byte[] datagram = writer.WrittenSpan.ToArray();
        Stamp(datagram, sequence, PortId);
        _pending.Enqueue(datagram);
    }

    /// <summary>A NEWRULE as a kernel dump carries it (NLM_F_MULTI, handle, userdata, an expression list).</summary>
    public static void WriteRule(ref NetlinkWriter writer, NfFamily family, string table, string chain, ulong handle, string? tag)
    {
        writer.BeginMessage(NFNL.MessageType(NFT_MSG.NFT_MSG_NEWRULE), NLM_F.NLM_F_MULTI);
        scoped var message = new NftRuleMessage { Header = new nfgenmsg { nfgen_family = (byte)family } };
        message.Attributes.Table = Encoding.UTF8.GetBytes(table);
        message.Attributes.Chain = Encoding.UTF8.GetBytes(chain);
        message.Attributes.Handle = handle;
        byte[] userData = new byte[160];
        if (tag is not null)
            message.Attributes.UserData = userData.AsSpan(0, NfRuleTag.Write(tag, userData));
        message.Attributes.Expressions = [0x0c, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00, 0x63, 0x6d, 0x70, 0x00]; // elem { name "cmp" }
        message.Attributes.Position = handle - 1;
        NftRuleMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>NLMSG_ERROR answering one batch message (capped: only its header is echoed).</summary>
    public static byte[] Error(uint sequence, ushort type, int errno, string? extendedAck, uint portId = 4242)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        writer.BeginMessage(NLMSG.NLMSG_ERROR, (ushort)(NLM_F.NLM_F_CAPPED | (extendedAck is null ? 0 : NLM_F.NLM_F_ACK_TLVS)));
        writer.WriteStruct(new nlmsgerr { error = -errno, msg_len = 20, msg_type = type, msg_seq = sequence, msg_pid = portId });
        if (extendedAck is not null)
            writer.WriteStringAttribute((ushort)NLMSGERR_ATTR.NLMSGERR_ATTR_MSG, Encoding.UTF8.GetBytes(extendedAck));
        writer.EndMessage();
        byte[] message = writer.WrittenSpan.ToArray();
        Stamp(message, sequence, portId);
        return message;
    }

    private static void Stamp(byte[] datagram, uint sequence, uint portId)
    {
        for (int offset = 0; offset + 16 <= datagram.Length; offset += NetlinkAlign.Message(BinaryPrimitives.ReadInt32LittleEndian(datagram.AsSpan(offset))))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(datagram.AsSpan(offset + 8), sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(datagram.AsSpan(offset + 12), portId);
        }
    }
}
