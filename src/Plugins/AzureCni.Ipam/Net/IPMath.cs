using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AzureCni.Ipam.Net;

/// <summary>Address arithmetic on IPv4 and IPv6 addresses, as integers (IPv4 in the low 32 bits).</summary>
public static class IPMath
{
    /// <summary>Parses "a.b.c.d/n" (host bits are masked off, as the fabric's prefixes are canonical anyway).</summary>
    public static bool TryParseSubnet(string text, out IPAddress network, out int prefixLength)
    {
        network = IPAddress.None;
        prefixLength = 0;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength))
        {
            return false;
        }

        int bits = BitCount(address);
        if (prefixLength > bits)
            return false;

        network = FromInteger(ToInteger(address) & Mask(prefixLength, bits), address.AddressFamily);
        return true;
    }

    public static string FormatSubnet(IPAddress network, int prefixLength) =>
        network.ToString() + "/" + prefixLength.ToString(CultureInfo.InvariantCulture);

    /// <summary>The subnet's first host address, the fabric's gateway (x.x.x.1).</summary>
    public static IPAddress FirstHost(IPAddress network) =>
        FromInteger(ToInteger(network) + 1, network.AddressFamily);

    public static bool Contains(IPAddress network, int prefixLength, IPAddress address)
    {
        if (address.AddressFamily != network.AddressFamily)
            return false;

        UInt128 mask = Mask(prefixLength, BitCount(network));
        return (ToInteger(address) & mask) == ToInteger(network);
    }

    /// <summary>The last address of the subnet (the IPv4 broadcast address).</summary>
    public static IPAddress LastAddress(IPAddress network, int prefixLength)
    {
        int bits = BitCount(network);
        return FromInteger(ToInteger(network) | (~Mask(prefixLength, bits) & Mask(bits, bits)), network.AddressFamily);
    }

    public static IPAddress Add(IPAddress address, UInt128 offset) =>
        FromInteger(ToInteger(address) + offset, address.AddressFamily);

    /// <summary>Orders IPv4 before IPv6, then numerically.</summary>
    public static int Compare(IPAddress a, IPAddress b)
    {
        if (a.AddressFamily != b.AddressFamily)
            return a.AddressFamily == AddressFamily.InterNetwork ? -1 : 1;

        return ToInteger(a).CompareTo(ToInteger(b));
    }

    public static int BitCount(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;

    public static UInt128 ToInteger(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromInteger(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    private static UInt128 Mask(int prefixLength, int bits)
    {
        if (prefixLength == 0)
            return UInt128.Zero;

        UInt128 all = bits == 32 ? uint.MaxValue : UInt128.MaxValue;
        return (all << (bits - prefixLength)) & all;
    }
}
