using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Requests;

/// <summary>The nlmsg_flags each verb uses (the semantics follow from the flags, as in iproute2).</summary>
internal static class RequestFlags
{
    /// <summary>Add: create, fail if it exists (EEXIST).</summary>
    public const ushort Create = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK | NLM_F.NLM_F_CREATE | NLM_F.NLM_F_EXCL;

    /// <summary>Replace: create or overwrite.</summary>
    public const ushort Replace = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK | NLM_F.NLM_F_CREATE | NLM_F.NLM_F_REPLACE;

    /// <summary>Delete, set or get one object: acknowledged.</summary>
    public const ushort Acknowledged = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK;

    /// <summary>Dump every object; ends with NLMSG_DONE.</summary>
    public const ushort Dump = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_DUMP;

    /// <summary>Room for any single request this library builds (the largest, a veth pair, is under 200 bytes).</summary>
    public const int BufferSize = 512;

    /// <summary>The family byte of a request for <paramref name="address"/>.</summary>
    public static byte FamilyOf(System.Net.IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AF.AF_INET6 : AF.AF_INET;

    public static byte FamilyOf(System.Net.Sockets.AddressFamily family) => family switch
    {
        System.Net.Sockets.AddressFamily.InterNetwork => AF.AF_INET,
        System.Net.Sockets.AddressFamily.InterNetworkV6 => AF.AF_INET6,
        _ => AF.AF_UNSPEC,
    };

    /// <summary>Writes the 4 or 16 bytes of <paramref name="address"/> and returns them.</summary>
    public static ReadOnlySpan<byte> AddressBytes(System.Net.IPAddress? address, Span<byte> destination)
    {
        if (address is null)
            return default;
        address.TryWriteBytes(destination, out int written);
        return destination[..written];
    }
}
