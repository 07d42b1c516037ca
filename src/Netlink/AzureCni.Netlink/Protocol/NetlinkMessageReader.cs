using System.Runtime.InteropServices;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// Walks the messages of one received datagram. Every <c>nlmsg_len</c> is checked against the bytes that remain;
/// the first malformed header stops the walk and is reported in <see cref="Error"/>.
/// </summary>
public ref struct NetlinkMessageReader
{
    private LengthPrefixedRecords _records;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _records = new LengthPrefixedRecords(datagram);

    public ushort MessageType { get; private set; }

    public ushort Flags { get; private set; }

    public uint Sequence { get; private set; }

    public uint PortId { get; private set; }

    /// <summary>The bytes after the <c>nlmsghdr</c>, up to <c>nlmsg_len</c>.</summary>
    public ReadOnlySpan<byte> Payload { get; private set; }

    /// <summary>Why the walk stopped early; <see cref="NetlinkDecodeError.None"/> after a clean end.</summary>
    public readonly NetlinkDecodeError Error => _records.Error;

    public bool MoveNext()
    {
        if (!_records.TryTakeMessage(out ReadOnlySpan<byte> message))
        {
            Payload = default;
            return false;
        }
        MessageType = MemoryMarshal.Read<ushort>(message[4..]);
        Flags = MemoryMarshal.Read<ushort>(message[6..]);
        Sequence = MemoryMarshal.Read<uint>(message[8..]);
        PortId = MemoryMarshal.Read<uint>(message[12..]);
        Payload = message[NetlinkAlign.MessageHeaderLength..];
        return true;
    }
}
