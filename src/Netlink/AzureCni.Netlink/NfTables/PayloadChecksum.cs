using static AzureCni.Netlink.Interop.Kernel.NFT_PAYLOAD;

namespace AzureCni.Netlink.NfTables;

/// <summary>
/// The checksum a payload write keeps valid (NFTA_PAYLOAD_CSUM_TYPE, _CSUM_OFFSET, _CSUM_FLAGS). The default is
/// none (NFT_PAYLOAD_CSUM_NONE), right for L2 and ARP fields.
/// </summary>
/// <param name="Type">NFT_PAYLOAD_CSUM_INET for the Internet checksum.</param>
/// <param name="Offset">Where the checksum sits in the same header, e.g. 10 for the IPv4 header checksum.</param>
/// <param name="Flags">NFT_PAYLOAD_L4CSUM_PSEUDOHDR when the field is also in the TCP/UDP pseudo-header.</param>
public readonly record struct PayloadChecksum(uint Type, uint Offset, uint Flags)
{
    /// <summary>The Internet checksum at <paramref name="offset"/> of the rewritten header.</summary>
    public static PayloadChecksum Inet(uint offset, uint flags = 0) => new(NFT_PAYLOAD_CSUM_INET, offset, flags);
}
