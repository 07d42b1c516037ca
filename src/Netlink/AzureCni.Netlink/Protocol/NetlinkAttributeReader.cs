using System.Runtime.InteropServices;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// Walks the attributes (TLVs) of a buffer. Every <c>nla_len</c> is checked against the bytes that remain
/// before anything is sliced; the first malformed attribute stops the walk and is reported in <see cref="Error"/>.
/// </summary>
public ref struct NetlinkAttributeReader
{
    // #define NLA_TYPE_MASK ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
    private const ushort TypeMask = unchecked((ushort)~(NetlinkWriter.NestedFlag | NetlinkWriter.NetworkByteOrderFlag));

    private LengthPrefixedRecords _records;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _records = new LengthPrefixedRecords(attributes);

    /// <summary>The current attribute's type with <c>NLA_F_NESTED</c> and <c>NLA_F_NET_BYTEORDER</c> masked off.</summary>
    public ushort Type { get; private set; }

    /// <summary>The flag bits masked off <see cref="Type"/>.</summary>
    public ushort TypeFlags { get; private set; }

    /// <summary>The current attribute's payload (header and padding excluded).</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    /// <summary>Why the walk stopped early; <see cref="NetlinkDecodeError.None"/> after a clean end.</summary>
    public readonly NetlinkDecodeError Error => _records.Error;

    public bool MoveNext()
    {
        if (!_records.TryTakeAttribute(out ReadOnlySpan<byte> attribute))
        {
            Payload = default;
            return false;
        }
        ushort rawType = MemoryMarshal.Read<ushort>(attribute[2..]);
        Type = (ushort)(rawType & TypeMask);
        TypeFlags = (ushort)(rawType & ~TypeMask);
        Payload = attribute[NetlinkAlign.AttributeHeaderLength..];
        return true;
    }
}
