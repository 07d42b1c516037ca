using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// Typed views of attribute payloads, used by generated attribute-set readers. Each returns false when the
/// payload has the wrong size, leaving the value absent; none reads outside the payload.
/// </summary>
public static class NetlinkAttributeValue
{
    /// <summary>A host-order integer whose payload is exactly its size.</summary>
    public static bool TryReadNative<T>(ReadOnlySpan<byte> payload, out T? value) where T : unmanaged
    {
        if (payload.Length != Unsafe.SizeOf<T>())
        {
            value = null;
            return false;
        }
        value = MemoryMarshal.Read<T>(payload);
        return true;
    }

    public static bool TryReadBigEndian(ReadOnlySpan<byte> payload, out ushort? value)
    {
        value = payload.Length == sizeof(ushort) ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
        return value.HasValue;
    }

    public static bool TryReadBigEndian(ReadOnlySpan<byte> payload, out uint? value)
    {
        value = payload.Length == sizeof(uint) ? BinaryPrimitives.ReadUInt32BigEndian(payload) : null;
        return value.HasValue;
    }

    public static bool TryReadBigEndian(ReadOnlySpan<byte> payload, out ulong? value)
    {
        value = payload.Length == sizeof(ulong) ? BinaryPrimitives.ReadUInt64BigEndian(payload) : null;
        return value.HasValue;
    }

    /// <summary>A string attribute: the bytes before the first NUL (all of them when there is none).</summary>
    public static bool TryReadString(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> value)
    {
        int nul = payload.IndexOf((byte)0);
        value = nul >= 0 ? payload[..nul] : payload;
        return true;
    }

    /// <summary>Raw payload bytes.</summary>
    public static bool TryReadBytes(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> value)
    {
        value = payload;
        return true;
    }

    /// <summary>A flag attribute carries no payload.</summary>
    public static bool TryReadFlag(ReadOnlySpan<byte> payload, out bool value)
    {
        value = payload.IsEmpty;
        return value;
    }

    /// <summary>A fixed struct; newer kernels may append fields, so a longer payload is accepted.</summary>
    public static bool TryReadStruct<T>(ReadOnlySpan<byte> payload, out T? value) where T : struct, INetlinkStruct<T>
    {
        if (T.TryRead(payload, out T read))
        {
            value = read;
            return true;
        }
        value = null;
        return false;
    }
}
