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

    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _rest = attributes;

    /// <summary>The current attribute's type with <c>NLA_F_NESTED</c> and <c>NLA_F_NET_BYTEORDER</c> masked off.</summary>
    public ushort Type { get; private set; }

    /// <summary>The flag bits masked off <see cref="Type"/>.</summary>
    public ushort TypeFlags { get; private set; }

    /// <summary>The current attribute's payload (header and padding excluded).</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    /// <summary>Why the walk stopped early; <see cref="NetlinkDecodeError.None"/> after a clean end.</summary>
    public NetlinkDecodeError Error { get; private set; }

    public bool MoveNext()
    {
        if (_rest.IsEmpty || Error != NetlinkDecodeError.None)
            return false;

        // nla_ok(): remaining >= sizeof(*nla) && nla->nla_len >= sizeof(*nla) && nla->nla_len <= remaining
        if (_rest.Length < NetlinkAlign.AttributeHeaderLength)
            return Fail(NetlinkDecodeError.Truncated);
        ReadOnlySpan<byte> attribute = _rest;
        ushort length = MemoryMarshal.Read<ushort>(attribute);
        NetlinkDecodeError error = LengthPrefixedRecords.Skip(ref _rest, NetlinkAlign.AttributeHeaderLength, length);
        if (error != NetlinkDecodeError.None)
            return Fail(error);

        ushort rawType = MemoryMarshal.Read<ushort>(attribute[2..]);
        Type = (ushort)(rawType & TypeMask);
        TypeFlags = (ushort)(rawType & ~TypeMask);
        Payload = attribute[NetlinkAlign.AttributeHeaderLength..length];
        return true;
    }

    private bool Fail(NetlinkDecodeError error)
    {
        Error = error;
        Payload = default;
        _rest = default;
        return false;
    }
}
