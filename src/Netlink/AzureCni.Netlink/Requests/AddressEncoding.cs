using System.Net;
using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Requests;

/// <summary>How an address appears in a request: its family byte and its 4 or 16 network-order bytes.</summary>
internal static class AddressEncoding
{
    /// <summary>The family byte of a request for <paramref name="address"/>.</summary>
    public static byte FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? AF.AF_INET6 : AF.AF_INET;

    public static byte FamilyOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AF.AF_INET,
        AddressFamily.InterNetworkV6 => AF.AF_INET6,
        _ => AF.AF_UNSPEC,
    };

    /// <summary>Writes the 4 or 16 bytes of <paramref name="address"/> and returns them; empty for null.</summary>
    public static ReadOnlySpan<byte> Bytes(IPAddress? address, Span<byte> destination)
    {
        if (address is null)
            return default;
        address.TryWriteBytes(destination, out int written);
        return destination[..written];
    }
}
