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
        ReadOnlySpan<byte> message = _rest;
        uint length = MemoryMarshal.Read<uint>(message);
        NetlinkDecodeError error = LengthPrefixedRecords.Skip(ref _rest, NetlinkAlign.MessageHeaderLength, length);
        if (error != NetlinkDecodeError.None)
            return Fail(error);

        MessageType = MemoryMarshal.Read<ushort>(message[4..]);
        Flags = MemoryMarshal.Read<ushort>(message[6..]);
        Sequence = MemoryMarshal.Read<uint>(message[8..]);
        PortId = MemoryMarshal.Read<uint>(message[12..]);
        Payload = message[NetlinkAlign.MessageHeaderLength..(int)length];
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
