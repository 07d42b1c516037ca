using System.Runtime.InteropServices;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.NfTables;

/// <summary>
/// An nf_tables handle (NETLINK_NETFILTER) for one network namespace: commits batched transactions and dumps
/// rules. Nothing here starts <c>nft</c>; each operation names its <c>nft</c> equivalent. Thread-safe: requests
/// on one handle are serialized.
/// </summary>
public sealed class NfTablesClient : IDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly NetlinkClient _client;
    private readonly Lock _lock = new();

    // Batch messages are numbered from their own counter; NetlinkClient numbers the dumps.
    private uint _sequence = (uint)Environment.TickCount ^ 0x5A5A0000;

    internal NfTablesClient(INetlinkTransport transport)
    {
        _transport = transport;
        _client = new NetlinkClient(transport);
    }

    /// <summary>Opens a handle in the calling thread's network namespace.</summary>
    public static NfTablesClient Open() => new(NetlinkSocket.Open(NETLINK_NETFILTER.Protocol));

    /// <summary>Opens a handle whose socket lives in <paramref name="networkNamespace"/>; usable from any thread.</summary>
    public static NfTablesClient Open(NetworkNamespace networkNamespace) =>
        new(networkNamespace.Run(static () => NetlinkSocket.Open(NETLINK_NETFILTER.Protocol)));

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// <c>nft -a list table FAMILY TABLE</c> for each of <paramref name="families"/>: the rules of the tables named
    /// <paramref name="table"/>, with handles and tags. A missing table contributes nothing. One dump per family:
    /// the kernel stops a table-filtered dump at the first table of that name, whatever its family.
    /// </summary>
    public List<NfRule> ListRules(string table, params ReadOnlySpan<NfFamily> families)
    {
        var rules = new List<NfRule>();
        lock (_lock)
        {
            foreach (NfFamily family in families)
                rules.AddRange(DumpRules(family, table, NfRuleDump.Decode));
        }
        return rules;
    }

    /// <summary>
    /// <c>ebtables -t TABLE -L --Lmac2</c>: the rules ebtables-nft keeps in the bridge-family table
    /// <paramref name="table"/> (<c>nat</c>, <c>filter</c>, <c>broute</c>), each read as the ebtables rule it is. A
    /// missing table has none.
    /// </summary>
    public List<EbtablesRule> ListEbtablesRules(string table)
    {
        lock (_lock)
            return DumpRules(NfFamily.Bridge, table, EbtablesRuleDecoder.Decode);
    }

    /// <summary>
    /// <c>nft delete rule FAMILY TABLE CHAIN handle H</c> for each of <paramref name="rules"/>, in one transaction:
    /// all go or none (a rule already gone fails the whole with ENOENT; list again and retry).
    /// </summary>
    public void DeleteRules(IReadOnlyList<NfRule> rules)
    {
        if (rules.Count == 0)
            return;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024 + 160 * rules.Count);
        try
        {
            var batch = new NfBatchWriter(buffer);
            foreach (NfRule rule in rules)
                batch.DeleteRule(rule.Family, Encoding.UTF8.GetBytes(rule.Table), Encoding.UTF8.GetBytes(rule.Chain), rule.Handle);
            int count = batch.MessageCount;
            Commit(buffer.AsSpan(0, batch.Finish().Length), count);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <c>ebtables -t TABLE -D CHAIN RULE</c> for every rule of the bridge-family table <paramref name="table"/> that
    /// <paramref name="select"/> picks, by handle, in one transaction; how many there were (0 is success). A rule that
    /// vanished between the listing and the delete (ENOENT) makes it look again.
    /// </summary>
    public int DeleteEbtablesRules(string table, Func<EbtablesRule, bool> select)
    {
        for (int attempt = 1; ; attempt++)
        {
            // A loop, not LINQ's Select: a generic virtual call keeps NativeAOT's type loader in the plugins' start-up.
            var doomed = new List<NfRule>();
            foreach (EbtablesRule rule in ListEbtablesRules(table))
            {
                if (select(rule))
                    doomed.Add(rule.Rule);
            }
            try
            {
                DeleteRules(doomed);
                return doomed.Count;
            }
            catch (NetlinkException e) when (e.Errno == ERRNO.ENOENT && attempt < 3)
            {
            }
        }
    }

    /// <summary>GETRULE dump of one family's table, each NEWRULE decoded by <paramref name="decode"/>; a missing table has no rules.</summary>
    private List<T> DumpRules<T>(NfFamily family, string table, Func<ReadOnlySpan<byte>, T> decode)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new NetlinkWriter(buffer);
        NfRuleDump.WriteRequest(ref writer, family, Encoding.UTF8.GetBytes(table));
        var found = new DumpCollector<T>(NFNL.MessageType(NFT_MSG.NFT_MSG_NEWRULE), decode);
        try
        {
            _client.Dump(buffer[..writer.Length], new NetlinkOperation("nftables list rules of table", table), found);
        }
        catch (NetlinkException e) when (e.Errno == ERRNO.ENOENT)
        {
            found.Reset();
        }
        return found.Items;
    }

    /// <summary><c>nft delete table FAMILY NAME</c>; false when there was no such table.</summary>
    public bool DeleteTable(NfFamily family, string name)
    {
        Span<byte> buffer = stackalloc byte[256];
        var batch = new NfBatchWriter(buffer);
        batch.DeleteTable(family, Encoding.UTF8.GetBytes(name));
        int count = batch.MessageCount;
        try
        {
            Commit(buffer[..batch.Finish().Length], count);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == ERRNO.ENOENT)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends a batch built by <see cref="NfBatchWriter"/> and waits for the ACK of each of its
    /// <paramref name="messageCount"/> messages. The kernel commits all of them or none; the first error it
    /// reports (with its extended-ack text) is thrown after every answer has been read.
    /// </summary>
    /// <remarks>
    /// nfnetlink handles a datagram synchronously inside <c>sendto</c>, so a GETGEN sent right after the batch is
    /// answered after everything the batch produced. Its ACK marks the end: were any batch answer missing (the
    /// kernel aborts some malformed batches silently), the commit fails instead of waiting forever.
    /// </remarks>
    internal void Commit(Span<byte> batch, int messageCount)
    {
        lock (_lock)
        {
            uint first = _sequence + 1;
            int total = StampSequences(batch, ref _sequence);
            uint last = _sequence;
            var operation = new NetlinkOperation("nftables transaction");
            _transport.Send(batch, operation);

            Span<byte> sentinel = stackalloc byte[32];
            var writer = new NetlinkWriter(sentinel);
            WriteGetGeneration(ref writer);
            uint sentinelSequence = ++_sequence;
            MemoryMarshal.Write(sentinel[8..], sentinelSequence);
            _transport.Send(sentinel[..writer.Length], operation);

            int pending = messageCount;
            NetlinkException? failure = null;
            bool ended = false;
            while (!ended)
            {
                var reader = new NetlinkMessageReader(_transport.Receive(operation));
                while (reader.MoveNext())
                {
                    if (reader.PortId != _transport.PortId || reader.MessageType != NLMSG.NLMSG_ERROR)
                        continue;
                    if (reader.Sequence == sentinelSequence)
                    {
                        ended = true;
                        continue;
                    }
                    if (reader.Sequence < first || reader.Sequence > last)
                        continue;
                    int index = (int)(reader.Sequence - first);
                    try
                    {
                        NetlinkReply.ThrowIfError(reader.Flags, reader.Payload, Describe(batch, index));
                    }
                    catch (NetlinkException e)
                    {
                        // An error on a batch marker means the kernel refused the whole batch and sends nothing else.
                        if (index == 0 || index == total - 1)
                            throw;
                        failure ??= e;
                    }
                    pending--;
                }
                if (reader.Error != NetlinkDecodeError.None)
                    NetlinkDecodeException.Throw(reader.Error, "nftables batch reply");
            }
            if (failure is not null)
                throw failure;
            if (pending > 0)
                throw new NetlinkException(ERRNO.EINVAL, operation.ToString(), $"the kernel answered {messageCount - pending} of {messageCount} messages");
        }
    }

    /// <summary>NFT_MSG_GETGEN with an ACK: the end marker of a commit.</summary>
    internal static void WriteGetGeneration(ref NetlinkWriter writer)
    {
        writer.BeginMessage(NFNL.MessageType(NFT_MSG.NFT_MSG_GETGEN), NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK);
        writer.WriteStruct(new nfgenmsg { nfgen_family = NFPROTO.NFPROTO_UNSPEC });
        writer.EndMessage();
    }

    /// <summary>Numbers every message of the batch; returns how many there are.</summary>
    internal static int StampSequences(Span<byte> batch, ref uint sequence)
    {
        int count = 0;
        for (int offset = 0; offset + NetlinkAlign.MessageHeaderLength <= batch.Length; count++)
        {
            int length = (int)MemoryMarshal.Read<uint>(batch[offset..]);
            if (length < NetlinkAlign.MessageHeaderLength)
                throw new InvalidOperationException("nftables batch: malformed message header.");
            MemoryMarshal.Write(batch[(offset + 8)..], ++sequence); // nlmsg_seq
            offset += NetlinkAlign.Message(length);
        }
        return count;
    }

    /// <summary>Names the batch message at <paramref name="index"/> for error messages, e.g. "nftables NEWRULE (batch message 3)".</summary>
    private static NetlinkOperation Describe(ReadOnlySpan<byte> batch, int index)
    {
        int offset = 0;
        for (int i = 0; i < index && offset + NetlinkAlign.MessageHeaderLength <= batch.Length; i++)
            offset += NetlinkAlign.Message((int)MemoryMarshal.Read<uint>(batch[offset..]));
        ushort type = offset + NetlinkAlign.MessageHeaderLength <= batch.Length ? MemoryMarshal.Read<ushort>(batch[(offset + 4)..]) : (ushort)0;
        string name = type switch
        {
            NFNL.NFNL_MSG_BATCH_BEGIN => "BATCH_BEGIN",
            NFNL.NFNL_MSG_BATCH_END => "BATCH_END",
            _ => (type & 0xff) switch
            {
                NFT_MSG.NFT_MSG_NEWTABLE => "NEWTABLE",
                NFT_MSG.NFT_MSG_DELTABLE => "DELTABLE",
                NFT_MSG.NFT_MSG_NEWCHAIN => "NEWCHAIN",
                NFT_MSG.NFT_MSG_NEWRULE => "NEWRULE",
                NFT_MSG.NFT_MSG_DELRULE => "DELRULE",
                _ => "message type " + type,
            },
        };
        return new NetlinkOperation($"nftables {name} (batch message {index})");
    }
}

/// <summary>NFT_MSG_GETRULE dumps: the request and the decoding of each NEWRULE in the reply.</summary>
internal static class NfRuleDump
{
    /// <summary>GETRULE dump of one family's table (NFTA_RULE_TABLE filters in the kernel).</summary>
    public static void WriteRequest(ref NetlinkWriter writer, NfFamily family, scoped ReadOnlySpan<byte> table)
    {
        writer.BeginMessage(NFNL.MessageType(NFT_MSG.NFT_MSG_GETRULE), NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_DUMP);
        scoped var message = new NftRuleMessage { Header = new nfgenmsg { nfgen_family = (byte)family } };
        message.Attributes.Table = table;
        NftRuleMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>Decodes one NEWRULE of a dump.</summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed or lacks its table, chain or handle.</exception>
    public static NfRule Decode(ReadOnlySpan<byte> payload)
    {
        if (!NftRuleMessage.TryRead(payload, out NftRuleMessage message, out NetlinkDecodeError error))
            NetlinkDecodeException.Throw(error, "nftables rule");
        ulong handle = message.Attributes.Handle ?? 0;
        if (message.Attributes.Table.IsEmpty || message.Attributes.Chain.IsEmpty || handle == 0)
            NetlinkDecodeException.Throw(NetlinkDecodeError.Unexpected, "nftables rule without table, chain or handle");
        string? tag = NfRuleTag.TryRead(message.Attributes.UserData, out ReadOnlySpan<byte> text) ? Encoding.UTF8.GetString(text) : null;
        return new NfRule((NfFamily)message.Header.nfgen_family, Encoding.UTF8.GetString(message.Attributes.Table),
            Encoding.UTF8.GetString(message.Attributes.Chain), handle, tag);
    }
}
