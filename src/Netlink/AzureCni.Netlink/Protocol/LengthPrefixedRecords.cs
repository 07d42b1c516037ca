using System.Runtime.InteropServices;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// The one walk both netlink framings share: messages (nlmsghdr, u32 length) and attributes (nlattr, u16
/// length) are records whose header starts with their own length, each padded to 4 bytes except the last.
/// The first malformed record stops the walk for good and is kept in <see cref="Error"/>.
/// </summary>
internal ref struct LengthPrefixedRecords(ReadOnlySpan<byte> buffer)
{
    private ReadOnlySpan<byte> _rest = buffer;

    /// <summary>Why the walk stopped early; <see cref="NetlinkDecodeError.None"/> while it goes on or after a clean end.</summary>
    public NetlinkDecodeError Error { get; private set; }

    /// <summary>The next message, <c>nlmsghdr</c> included (NLMSG_OK, then NLMSG_NEXT).</summary>
    public bool TryTakeMessage(out ReadOnlySpan<byte> message) =>
        TryTake(NetlinkAlign.MessageHeaderLength, out message);

    /// <summary>The next attribute, <c>nlattr</c> included (nla_ok, then nla_next).</summary>
    public bool TryTakeAttribute(out ReadOnlySpan<byte> attribute) =>
        TryTake(NetlinkAlign.AttributeHeaderLength, out attribute);

    private bool TryTake(int headerLength, out ReadOnlySpan<byte> record)
    {
        record = default;
        if (_rest.IsEmpty || Error != NetlinkDecodeError.None)
            return false;
        if (_rest.Length < headerLength)
            return Fail(NetlinkDecodeError.Truncated);

        // nlmsg_len is a u32, nla_len a u16; either is the record's length with its header, before padding.
        uint length = headerLength == NetlinkAlign.AttributeHeaderLength ? MemoryMarshal.Read<ushort>(_rest) : MemoryMarshal.Read<uint>(_rest);
        if (length < (uint)headerLength || length > (uint)_rest.Length)
            return Fail(NetlinkDecodeError.BadLength);

        // NLMSG_ALIGNTO and NLA_ALIGNTO are both 4; only the last record may omit its padding.
        ReadOnlySpan<byte> front = _rest;
        int aligned = NetlinkAlign.Message((int)length);
        if (aligned <= _rest.Length)
            _rest = _rest[aligned..];
        else if (length == (uint)_rest.Length)
            _rest = default;
        else
            return Fail(NetlinkDecodeError.Misaligned);
        record = front[..(int)length];
        return true;
    }

    private bool Fail(NetlinkDecodeError error)
    {
        Error = error;
        _rest = default;
        return false;
    }
}
