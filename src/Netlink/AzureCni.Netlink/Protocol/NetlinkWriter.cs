using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// Writes one netlink request (header, fixed struct, attributes) into a caller-provided span without allocating.
/// Every byte it hands to the kernel is written: padding is zeroed, lengths are patched when a message or
/// nested attribute ends. Overflowing the span is a programming error and throws.
/// </summary>
public ref struct NetlinkWriter
{
    // #define NLA_F_NESTED (1 << 15)
    public const ushort NestedFlag = 1 << 15;

    // #define NLA_F_NET_BYTEORDER (1 << 14)
    public const ushort NetworkByteOrderFlag = 1 << 14;

    private readonly Span<byte> _buffer;
    private int _length;
    private int _messageStart;

    public NetlinkWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _messageStart = -1;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The encoded bytes.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._length];

    /// <summary>Starts a message: writes an <c>nlmsghdr</c> whose length is patched by <see cref="EndMessage"/>.</summary>
    public void BeginMessage(ushort type, ushort flags)
    {
        if (_messageStart >= 0)
            ThrowInvalid("a message is already open");
        _length = NetlinkAlign.Message(_length);
        _messageStart = _length;
        var header = new nlmsghdr { nlmsg_type = type, nlmsg_flags = flags };
        WriteStruct(in header);
    }

    /// <summary>Ends the open message by patching <c>nlmsg_len</c>; returns the message bytes.</summary>
    public ReadOnlySpan<byte> EndMessage()
    {
        if (_messageStart < 0)
            ThrowInvalid("no message is open");
        int start = _messageStart;
        MemoryMarshal.Write(_buffer[start..], (uint)(_length - start)); // nlmsg_len, host order
        _messageStart = -1;
        return _buffer[start.._length];
    }

    /// <summary>Writes a fixed kernel struct, padded to <c>NLMSG_ALIGN</c> with zeroes.</summary>
    public void WriteStruct<T>(in T value) where T : struct, INetlinkStruct<T>
    {
        Span<byte> span = Reserve(NetlinkAlign.Message(T.EncodedSize));
        value.Write(span);
    }

    public void WriteAttribute(ushort type, byte value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, sbyte value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, ushort value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, short value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, uint value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, int value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, ulong value) => WriteNative(type, value);

    public void WriteAttribute(ushort type, long value) => WriteNative(type, value);

    public void WriteAttributeBigEndian(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(ReserveAttribute(type, sizeof(ushort)), value);

    public void WriteAttributeBigEndian(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(ReserveAttribute(type, sizeof(uint)), value);

    public void WriteAttributeBigEndian(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(ReserveAttribute(type, sizeof(ulong)), value);

    /// <summary>Writes raw bytes as the payload.</summary>
    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> payload) => payload.CopyTo(ReserveAttribute(type, payload.Length));

    /// <summary>Writes a zero-length attribute (<c>NLA_FLAG</c>).</summary>
    public void WriteFlagAttribute(ushort type) => ReserveAttribute(type, 0);

    /// <summary>Writes UTF-8 bytes followed by a NUL (<c>NLA_NUL_STRING</c>).</summary>
    public void WriteStringAttribute(ushort type, scoped ReadOnlySpan<byte> utf8)
    {
        Span<byte> payload = ReserveAttribute(type, utf8.Length + 1);
        utf8.CopyTo(payload);
    }

    /// <summary>Writes a string as UTF-8 followed by a NUL, encoding straight into the buffer.</summary>
    public void WriteStringAttribute(ushort type, string value)
    {
        Span<byte> payload = ReserveAttribute(type, Encoding.UTF8.GetByteCount(value) + 1);
        Encoding.UTF8.GetBytes(value, payload);
    }

    /// <summary>Writes the 4 or 16 address bytes in network order.</summary>
    public void WriteAddressAttribute(ushort type, IPAddress address)
    {
        int length = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 16 : 4;
        if (!address.TryWriteBytes(ReserveAttribute(type, length), out _))
            ThrowInvalid("address does not fit its attribute");
    }

    /// <summary>Writes a fixed kernel struct as the payload.</summary>
    public void WriteStructAttribute<T>(ushort type, in T value) where T : struct, INetlinkStruct<T>
        => value.Write(ReserveAttribute(type, T.EncodedSize));

    /// <summary>Opens a nested attribute; its length is patched when the returned scope is disposed.</summary>
    [UnscopedRef]
    public NestedAttributeScope BeginNested(ushort type)
    {
        int start = _length;
        ReserveAttribute(type, 0);
        return new NestedAttributeScope(_buffer, ref _length, start);
    }

    private void WriteNative<T>(ushort type, T value) where T : unmanaged
        => MemoryMarshal.Write(ReserveAttribute(type, Unsafe.SizeOf<T>()), in value);

    /// <summary>Writes an attribute header and returns its payload span; the aligned tail is zeroed.</summary>
    private Span<byte> ReserveAttribute(ushort type, int payloadLength)
    {
        int length = NetlinkAlign.AttributeHeaderLength + payloadLength;
        if (length > ushort.MaxValue)
            ThrowInvalid("attribute longer than 65535 bytes");
        Span<byte> span = Reserve(NetlinkAlign.Attribute(length));
        MemoryMarshal.Write(span, (ushort)length);
        MemoryMarshal.Write(span[2..], type);
        return span.Slice(NetlinkAlign.AttributeHeaderLength, payloadLength);
    }

    /// <summary>Claims <paramref name="length"/> zeroed bytes.</summary>
    private Span<byte> Reserve(int length)
    {
        if ((uint)(_length + length) > (uint)_buffer.Length)
            ThrowInvalid("netlink request does not fit its buffer");
        Span<byte> span = _buffer.Slice(_length, length);
        span.Clear();
        _length += length;
        return span;
    }

    [DoesNotReturn]
    private static void ThrowInvalid(string reason) => throw new InvalidOperationException("Netlink writer: " + reason + ".");
}
