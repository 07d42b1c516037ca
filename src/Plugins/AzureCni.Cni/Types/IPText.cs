using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AzureCni.Cni.Types;

/// <summary>
/// The one helper for IP addresses and CIDR prefixes: strict parsing, as Go's net.ParseIP/ParseCIDR accept them
/// (IPAddress.TryParse alone would also take "10" (0.0.0.10), octal-looking parts or a "%scope" suffix, none of
/// which is a valid CNI address), masking, and address arithmetic as integers (IPv4 in the low 32 bits).
/// </summary>
public static class IPText
{
    public static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.IsEmpty || text.Length > 45 || text.Contains('%'))
            return false;

        if (!text.Contains(':'))
        {
            int parts = 0;
            foreach (var range in text.Split('.'))
            {
                var part = text[range];
                if (part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
                    return false;

                foreach (char c in part)
                {
                    if (!char.IsAsciiDigit(c))
                        return false;
                }

                parts++;
            }

            if (parts != 4)
                return false;
        }

        if (!IPAddress.TryParse(text, out var parsed))
            return false;

        address = parsed;
        return true;
    }

    public static bool TryParsePrefix(ReadOnlySpan<char> text, IPAddress address, out int prefix)
    {
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        prefix = 0;
        if (text.IsEmpty || text.Length > 3)
            return false;

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;

            prefix = (prefix * 10) + (c - '0');
        }

        return prefix <= max && (text.Length == 1 || text[0] != '0');
    }

    /// <summary>Parses "a.b.c.d/n" into a network, clearing host bits as a route destination needs.</summary>
    public static bool TryParseNetwork(ReadOnlySpan<char> text, out IPNetwork network)
    {
        network = default;
        if (!IPNetworkAddress.TryParse(text, out var value))
            return false;

        network = value.Network;
        return true;
    }

    /// <summary>The address with every bit after <paramref name="prefixLength"/> cleared.</summary>
    public static IPAddress Mask(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        bytes = bytes[..length];
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF00 >> keep);
        }

        return new IPAddress(bytes);
    }

    public static bool IsIPv4(this IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>The subnet's first host address, the fabric's gateway (x.x.x.1).</summary>
    public static IPAddress FirstHost(IPNetwork network) => Add(network.BaseAddress, 1);

    /// <summary>The last address of the subnet (the IPv4 broadcast address).</summary>
    public static IPAddress LastAddress(IPNetwork network)
    {
        int bits = BitCount(network.BaseAddress);
        UInt128 all = bits == 32 ? uint.MaxValue : UInt128.MaxValue;
        UInt128 hostBits = network.PrefixLength == bits ? UInt128.Zero : all >> network.PrefixLength;
        return FromInteger(ToInteger(network.BaseAddress) | hostBits, network.BaseAddress.AddressFamily);
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

    private static int BitCount(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
}
