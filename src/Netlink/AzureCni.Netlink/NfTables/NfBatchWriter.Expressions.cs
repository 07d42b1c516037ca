using System.Runtime.InteropServices;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.NfTables;

// The expressions of an open rule. Each is one NFTA_LIST_ELEM { NFTA_EXPR_NAME "name", NFTA_EXPR_DATA { ... } };
// the comment on each method is the `nft --debug=netlink` line it produces.
public ref partial struct NfBatchWriter
{
    /// <summary><c>[ meta load KEY => reg DREG ]</c>.</summary>
    public void MetaLoad(uint key, uint destinationRegister)
    {
        (int element, int data) = BeginExpression("meta"u8);
        NftMetaAttributes.Write(new NftMetaAttributes { Key = key, DestinationRegister = destinationRegister }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ meta set KEY with reg SREG ]</c>.</summary>
    public void MetaSet(uint key, uint sourceRegister)
    {
        (int element, int data) = BeginExpression("meta"u8);
        NftMetaAttributes.Write(new NftMetaAttributes { Key = key, SourceRegister = sourceRegister }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ payload load LENb @ BASE header + OFFSET => reg DREG ]</c>.</summary>
    public void PayloadLoad(uint payloadBase, uint offset, uint length, uint destinationRegister)
    {
        (int element, int data) = BeginExpression("payload"u8);
        NftPayloadAttributes.Write(new NftPayloadAttributes
        {
            DestinationRegister = destinationRegister,
            Base = payloadBase,
            Offset = offset,
            Length = length,
        }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary>
    /// <c>[ payload write reg SREG => LENb @ BASE header + OFFSET csum_type T csum_off O csum_flags F ]</c>. An L3/L4
    /// rewrite passes the checksum to fix (<see cref="PayloadChecksum"/>); L2 and ARP rewrites have none.
    /// </summary>
    public void PayloadSet(uint payloadBase, uint offset, uint length, uint sourceRegister, PayloadChecksum checksum = default)
    {
        (int element, int data) = BeginExpression("payload"u8);
        bool hasChecksum = checksum.Type != NFT_PAYLOAD.NFT_PAYLOAD_CSUM_NONE;
        NftPayloadAttributes.Write(new NftPayloadAttributes
        {
            SourceRegister = sourceRegister,
            Base = payloadBase,
            Offset = offset,
            Length = length,
            ChecksumType = hasChecksum ? checksum.Type : null,
            ChecksumOffset = hasChecksum ? checksum.Offset : null,
            ChecksumFlags = checksum.Flags != 0 ? checksum.Flags : null,
        }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ cmp OP reg SREG VALUE ]</c>.</summary>
    public void Compare(uint sourceRegister, uint operation, scoped ReadOnlySpan<byte> value)
    {
        (int element, int data) = BeginExpression("cmp"u8);
        scoped var cmp = new NftCmpAttributes { SourceRegister = sourceRegister, Operation = operation };
        cmp.Data.Value = value;
        NftCmpAttributes.Write(cmp, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ cmp eq reg SREG VALUE ]</c>.</summary>
    public void CompareEqual(uint sourceRegister, scoped ReadOnlySpan<byte> value) =>
        Compare(sourceRegister, NFT_CMP.NFT_CMP_EQ, value);

    /// <summary><c>[ bitwise reg DREG = ( reg SREG &amp; MASK ) ^ XOR ]</c>; mask and xor have the operand's length.</summary>
    public void Bitwise(uint sourceRegister, uint destinationRegister, scoped ReadOnlySpan<byte> mask, scoped ReadOnlySpan<byte> xor)
    {
        if (mask.Length != xor.Length)
            throw new ArgumentException("nftables bitwise: mask and xor must have the same length.", nameof(xor));
        (int element, int data) = BeginExpression("bitwise"u8);
        scoped var bitwise = new NftBitwiseAttributes
        {
            SourceRegister = sourceRegister,
            DestinationRegister = destinationRegister,
            Length = (uint)mask.Length,
        };
        bitwise.Mask.Value = mask;
        bitwise.Xor.Value = xor;
        NftBitwiseAttributes.Write(bitwise, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ immediate reg DREG VALUE ]</c>.</summary>
    public void Immediate(uint destinationRegister, scoped ReadOnlySpan<byte> value)
    {
        (int element, int data) = BeginExpression("immediate"u8);
        scoped var immediate = new NftImmediateAttributes { DestinationRegister = destinationRegister };
        immediate.Data.Value = value;
        NftImmediateAttributes.Write(immediate, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ immediate reg 0 accept|drop|return ... ]</c>: the rule's verdict (<c>NF_DROP</c>, <c>NF_ACCEPT</c>, <c>NFT_RETURN</c> ...).</summary>
    public void Verdict(int code)
    {
        (int element, int data) = BeginExpression("immediate"u8);
        scoped var immediate = new NftImmediateAttributes { DestinationRegister = NFT_REG.NFT_REG_VERDICT };
        immediate.Data.Verdict.Code = unchecked((uint)code);
        NftImmediateAttributes.Write(immediate, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ fib daddr type => reg DREG ]</c>: the destination's route type (<c>RTN_LOCAL</c> for the node's own addresses).</summary>
    public void FibDestinationAddressType(uint destinationRegister)
    {
        (int element, int data) = BeginExpression("fib"u8);
        NftFibAttributes.Write(new NftFibAttributes
        {
            DestinationRegister = destinationRegister,
            Result = NFT_FIB.NFT_FIB_RESULT_ADDRTYPE,
            Flags = NFT_FIB.NFTA_FIB_F_DADDR,
        }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary>
    /// <c>[ nat dnat|snat ip|ip6 addr_min reg A proto_min reg P flags 0x2 ]</c>: NAT to the address in
    /// <paramref name="addressRegister"/> and, when <paramref name="portRegister"/> is non-zero, the port in it.
    /// </summary>
    public void Nat(uint type, NfFamily family, uint addressRegister, uint portRegister)
    {
        (int element, int data) = BeginExpression("nat"u8);
        bool port = portRegister != 0;
        NftNatAttributes.Write(new NftNatAttributes
        {
            Type = type,
            Family = (uint)family,
            AddressMinRegister = addressRegister,
            ProtocolMinRegister = port ? portRegister : null,
            Flags = port ? NFT_NAT.NF_NAT_RANGE_PROTO_SPECIFIED : null,
        }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ masq ]</c>.</summary>
    public void Masquerade()
    {
        (int element, int data) = BeginExpression("masq"u8);
        EndExpression(element, data);
    }

    /// <summary><c>[ counter pkts 0 bytes 0 ]</c>.</summary>
    public void Counter()
    {
        (int element, int data) = BeginExpression("counter"u8);
        NftCounterAttributes.Write(new NftCounterAttributes { Bytes = 0, Packets = 0 }, ref _writer);
        EndExpression(element, data);
    }

    /// <summary><c>[ notrack ]</c>: the packet gets no conntrack entry (a raw-priority hook, before conntrack's -200). No attributes.</summary>
    public void Notrack()
    {
        (int element, int data) = BeginExpression("notrack"u8);
        EndExpression(element, data);
    }

    private (int Element, int Data) BeginExpression(scoped ReadOnlySpan<byte> name)
    {
        if (_expressionsStart < 0)
            throw new InvalidOperationException("nftables batch: expressions go inside BeginRule/EndRule.");
        int element = _writer.Length;
        _writer.WriteFlagAttribute((ushort)NFTA_LIST.NFTA_LIST_ELEM | NetlinkWriter.NestedFlag);
        _writer.WriteStringAttribute((ushort)NFTA_EXPR.NFTA_EXPR_NAME, name);
        int data = _writer.Length;
        _writer.WriteFlagAttribute((ushort)NFTA_EXPR.NFTA_EXPR_DATA | NetlinkWriter.NestedFlag);
        return (element, data);
    }

    private void EndExpression(int element, int data)
    {
        PatchLength(data);
        PatchLength(element);
    }

    private readonly void PatchLength(int start) =>
        MemoryMarshal.Write(_buffer[start..], checked((ushort)(_writer.Length - start)));
}
