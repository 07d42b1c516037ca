using System.Runtime.InteropServices;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// Walks the messages of one received datagram. Every <c>nlmsg_len</c> is checked against the bytes that remain;
/// the first malformed header stops the walk and is reported in <see cref="Error"/>.
/// </summary>
public ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _rest = datagram;

    public ushort MessageType { get; private set; }

    public ushort Flags { get; private set; }

    public uint Sequence { get; private set; }

    public uint PortId { get; private set; }

    /// <summary>The bytes after the <c>nlmsghdr</c>, up to <c>nlmsg_len</c>.</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    public NetlinkDecodeError Error { get; private set; }

    public bool MoveNext()
    {
        if (_rest.IsEmpty || Error != NetlinkDecodeError.None)
            return false;

        // NLMSG_OK(nlh,len): len >= sizeof(struct nlmsghdr) && nlh->nlmsg_len >= sizeof(struct nlmsghdr) && nlh->nlmsg_len <= len
        if (_rest.Length < NetlinkAlign.MessageHeaderLength)
            return Fail(NetlinkDecodeError.Truncated);
        uint length = MemoryMarshal.Read<uint>(_rest);
        if (length < NetlinkAlign.MessageHeaderLength || length > (uint)_rest.Length)
            return Fail(NetlinkDecodeError.BadLength);

        MessageType = MemoryMarshal.Read<ushort>(_rest[4..]);
        Flags = MemoryMarshal.Read<ushort>(_rest[6..]);
        Sequence = MemoryMarshal.Read<uint>(_rest[8..]);
        PortId = MemoryMarshal.Read<uint>(_rest[12..]);
        Payload = _rest[NetlinkAlign.MessageHeaderLength..(int)length];

        // NLMSG_NEXT(nlh,len): ((len) -= NLMSG_ALIGN((nlh)->nlmsg_len), (struct nlmsghdr *)(((char *)(nlh)) + NLMSG_ALIGN((nlh)->nlmsg_len)))
        // Only the last message may omit its padding; stray bytes after it are a malformed datagram.
        int aligned = NetlinkAlign.Message((int)length);
        if (aligned <= _rest.Length)
            _rest = _rest[aligned..];
        else if (length == (uint)_rest.Length)
            _rest = default;
        else
            return Fail(NetlinkDecodeError.Misaligned);
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
