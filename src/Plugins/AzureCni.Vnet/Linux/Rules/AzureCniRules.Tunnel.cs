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
    /// Transparent-tunnel mode, one container (its own tag), in <c>ip azure-cni-tunnel</c>'s raw-priority chain:
    /// <code>
    /// nft add rule ip azure-cni-tunnel prerouting iifname HOSTVETH meta mark set 0x3
    /// nft add rule ip azure-cni-tunnel prerouting iifname MASTER ip saddr ADDR notrack
    /// </code>
    /// The mark sends the pod's packets to table 101 (the gateway; fwmark 3 lookup 101), so traffic to another pod
    /// of the node goes through the fabric, whose security rules apply, and comes back in on MASTER. Upstream's
    /// NOTRACK matches that returning copy as <c>-i MASTER</c> with source and destination in the ipset
    /// <c>azure-tt-local-pods</c>; here it is one rule per local pod address on the source: a packet with a local
    /// pod's source arrives on MASTER only when the fabric hairpinned it back, which it does only when the destination
    /// is on this node, so the two select the same packets without a set. Untracked, the returning copy does not
    /// collide with the conntrack entry its first pass made. IPv4 only, as upstream.
    /// </summary>
    internal static void WriteTunnelContainer(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses)
    {
        Span<byte> masterName = stackalloc byte[IfNameSize];
        Span<byte> vethName = stackalloc byte[IfNameSize];
        Span<byte> address = stackalloc byte[16];
        Span<byte> mark = stackalloc byte[4];
        WriteIfName(master, masterName);
        WriteIfName(hostVeth, vethName);
        BitConverter.TryWriteBytes(mark, TunnelMark); // meta mark is a host-order u32
        ReadOnlySpan<byte> table = TunnelTableUtf8;
        batch.AddTable(NfFamily.Ip, table);
        batch.AddBaseChain(NfFamily.Ip, table, Prerouting, "filter"u8, NfHook.Prerouting, RawPriority);

        batch.BeginRule(NfFamily.Ip, table, Prerouting, tag);
        MatchInterface(ref batch, NFT_META.NFT_META_IIFNAME, vethName);
        batch.Immediate(Reg1, mark);
        batch.MetaSet(NFT_META.NFT_META_MARK, Reg1);
        batch.EndRule();

        for (int i = 0; i < addresses.Count; i++)
        {
            if (addresses[i].AddressFamily != AddressFamily.InterNetwork)
                continue;
            addresses[i].TryWriteBytes(address, out int length);
            batch.BeginRule(NfFamily.Ip, table, Prerouting, tag);
            MatchInterface(ref batch, NFT_META.NFT_META_IIFNAME, masterName);
            MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 12, address[..length]);
            batch.Notrack();
            batch.EndRule();
        }
    }
}
