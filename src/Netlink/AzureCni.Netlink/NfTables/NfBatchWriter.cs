using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.NfTables;

/// <summary>
/// Encodes one nf_tables transaction into a caller-provided span, without allocating:
/// <c>NFNL_MSG_BATCH_BEGIN</c>, the table/chain/rule messages, <c>NFNL_MSG_BATCH_END</c>. The kernel applies the
/// whole batch or none of it. Every message between begin and end asks for an ACK, so each one's outcome (and
/// extended-ack text) comes back; sequence numbers are stamped at send time. A rule is written as
/// <see cref="BeginRule"/>, its expressions (<c>NfBatchWriter.Expressions.cs</c>), <see cref="EndRule"/>.
/// </summary>
public ref partial struct NfBatchWriter
{
    // nlmsg_flags, as nft sends them: every message of the batch is acknowledged.
    private const ushort Create = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK | NLM_F.NLM_F_CREATE;
    private const ushort Append = Create | NFT_NLM_F.NLM_F_APPEND;
    private const ushort Delete = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK;

    private readonly Span<byte> _buffer;
    private NetlinkWriter _writer;
    private int _expressionsStart;
    private int _messages;

    public NfBatchWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _writer = new NetlinkWriter(buffer);
        _expressionsStart = -1;
        WriteBatchMarker(NFNL.NFNL_MSG_BATCH_BEGIN);
    }

    /// <summary>Table, chain and rule messages written so far (the batch markers excluded).</summary>
    public readonly int MessageCount => _messages;

    /// <summary>Closes the batch and returns its bytes.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (_expressionsStart >= 0)
            throw new InvalidOperationException("nftables batch: a rule is still open.");
        WriteBatchMarker(NFNL.NFNL_MSG_BATCH_END);
        return _writer.WrittenSpan;
    }

    /// <summary><c>nft add table FAMILY NAME</c>: creates the table, or leaves an existing one alone (NLM_F_CREATE without EXCL).</summary>
    public void AddTable(NfFamily family, scoped ReadOnlySpan<byte> name)
    {
        Begin(NFT_MSG.NFT_MSG_NEWTABLE, Create);
        scoped var message = new NftTableMessage { Header = Header(family) };
        message.Attributes.Name = name;
        message.Attributes.Flags = 0;
        NftTableMessage.Write(message, ref _writer);
        End();
    }

    /// <summary><c>nft delete table FAMILY NAME</c>: the table with all its chains and rules.</summary>
    public void DeleteTable(NfFamily family, scoped ReadOnlySpan<byte> name)
    {
        Begin(NFT_MSG.NFT_MSG_DELTABLE, Delete);
        scoped var message = new NftTableMessage { Header = Header(family) };
        message.Attributes.Name = name;
        NftTableMessage.Write(message, ref _writer);
        End();
    }

    /// <summary>
    /// <c>nft add chain FAMILY TABLE NAME { type T hook H priority P; policy accept; }</c>. Idempotent: the kernel
    /// accepts an existing chain with the same hook, priority and type.
    /// </summary>
    public void AddBaseChain(NfFamily family, scoped ReadOnlySpan<byte> table, scoped ReadOnlySpan<byte> name,
        scoped ReadOnlySpan<byte> type, NfHook hook, int priority)
    {
        Begin(NFT_MSG.NFT_MSG_NEWCHAIN, Create);
        scoped var message = new NftChainMessage { Header = Header(family) };
        message.Attributes.Table = table;
        message.Attributes.Name = name;
        message.Attributes.Hook.HookNumber = (uint)hook;
        message.Attributes.Hook.Priority = unchecked((uint)priority);
        message.Attributes.Policy = NF_VERDICT.NF_ACCEPT;
        message.Attributes.Type = type;
        NftChainMessage.Write(message, ref _writer);
        End();
    }

    /// <summary><c>nft delete rule FAMILY TABLE CHAIN handle H</c>.</summary>
    public void DeleteRule(NfFamily family, scoped ReadOnlySpan<byte> table, scoped ReadOnlySpan<byte> chain, ulong handle)
    {
        Begin(NFT_MSG.NFT_MSG_DELRULE, Delete);
        scoped var message = new NftRuleMessage { Header = Header(family) };
        message.Attributes.Table = table;
        message.Attributes.Chain = chain;
        message.Attributes.Handle = handle;
        NftRuleMessage.Write(message, ref _writer);
        End();
    }

    /// <summary>
    /// Opens <c>nft add rule FAMILY TABLE CHAIN ... comment "TAG"</c> (appended to the chain). The userdata goes
    /// before the expression list, which stays open for the expression writers until <see cref="EndRule"/>.
    /// </summary>
    public void BeginRule(NfFamily family, scoped ReadOnlySpan<byte> table, scoped ReadOnlySpan<byte> chain, scoped ReadOnlySpan<byte> tagUserData)
    {
        if (_expressionsStart >= 0)
            throw new InvalidOperationException("nftables batch: a rule is already open.");
        Begin(NFT_MSG.NFT_MSG_NEWRULE, Append);
        scoped var message = new NftRuleMessage { Header = Header(family) };
        message.Attributes.Table = table;
        message.Attributes.Chain = chain;
        message.Attributes.UserData = tagUserData;
        NftRuleMessage.Write(message, ref _writer);
        _expressionsStart = _writer.Length;
        _writer.WriteFlagAttribute((ushort)NFTA_RULE.NFTA_RULE_EXPRESSIONS | NetlinkWriter.NestedFlag);
    }

    /// <summary>Closes the expression list and the NEWRULE message.</summary>
    public void EndRule()
    {
        if (_expressionsStart < 0)
            throw new InvalidOperationException("nftables batch: no rule is open.");
        MemoryMarshal.Write(_buffer[_expressionsStart..], (ushort)(_writer.Length - _expressionsStart));
        _expressionsStart = -1;
        End();
    }

    private static nfgenmsg Header(NfFamily family) =>
        new() { nfgen_family = (byte)family, version = NFNL.NFNETLINK_V0 };

    private void Begin(ushort nftMessage, ushort flags)
    {
        _writer.BeginMessage(NFNL.MessageType(nftMessage), flags);
        _messages++;
    }

    private void End() => _writer.EndMessage();

    /// <summary>Batch begin/end: AF_UNSPEC, <c>res_id = htons(NFNL_SUBSYS_NFTABLES)</c> names the subsystem.</summary>
    private void WriteBatchMarker(ushort type)
    {
        _writer.BeginMessage(type, NLM_F.NLM_F_REQUEST);
        var header = new nfgenmsg
        {
            nfgen_family = NFPROTO.NFPROTO_UNSPEC,
            version = NFNL.NFNETLINK_V0,
            res_id = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(NFNL.NFNL_SUBSYS_NFTABLES) : NFNL.NFNL_SUBSYS_NFTABLES,
        };
        _writer.WriteStruct(in header);
        _writer.EndMessage();
    }
}
