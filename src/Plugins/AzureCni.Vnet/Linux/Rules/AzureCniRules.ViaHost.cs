using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;

namespace AzureCni.Vnet.Linux.Rules;

internal static partial class AzureCniRules
{
    /// <summary>
    /// Bridge mode, node-wide, one address of <c>ipsToRouteViaHost</c> (tag <c>azcni:node:via-host:ADDR</c>), in
    /// <c>bridge azure-cni-via-host</c>'s chain at ebtables' broute priority:
    /// <code>
    /// nft add rule bridge azure-cni-via-host broute meta protocol ip ip daddr ADDR ether daddr set BRIDGEMAC meta pkttype set host
    /// </code>
    /// Upstream's <c>ebtables -t broute -A BROUTING -p IPv4 --ip-dst ADDR -j redirect --redirect-target ACCEPT</c>:
    /// the frame, which a pod sent to the gateway's MAC, gets a MAC of the bridge as destination and stays bridged, so
    /// the bridge's forwarding database (where that MAC is local) hands it up to the node's IP stack on the bridge
    /// device, where a listener on ADDR (NodeLocal DNS's 169.254.20.10) gets it; the packet type is set to host, or IP
    /// would drop a frame that came in addressed to another MAC. No interface match, as upstream. The bridge's MAC is
    /// written in the rule: <c>meta ibrhwaddr</c> (and <c>meta broute</c>) need the kernel's nft_meta_bridge, which
    /// not every kernel has (docs/nftables.md 1d); one bridge per node, as upstream's conflists make.
    /// </summary>
    internal static void WriteViaHost(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag, IPAddress address, scoped ReadOnlySpan<byte> bridgeMac)
    {
        CheckMac(bridgeMac);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"ipsToRouteViaHost: {address} is not an IPv4 address.", nameof(address));
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        ReadOnlySpan<byte> table = ViaHostTableUtf8;
        batch.AddTable(NfFamily.Bridge, table);
        batch.AddBaseChain(NfFamily.Bridge, table, Broute, "filter"u8, NfHook.Prerouting, BroutePriority);

        batch.BeginRule(NfFamily.Bridge, table, Broute, tag);
        MatchEtherType(ref batch, EtherTypeIPv4);
        MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 16, bytes);
        batch.Immediate(Reg1, bridgeMac);
        batch.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_LL_HEADER, EtherDestination, 6, Reg1);
        batch.Immediate(Reg1, [0]); // PACKET_HOST
        batch.MetaSet(NFT_META.NFT_META_PKTTYPE, Reg1);
        batch.EndRule();
    }
}
