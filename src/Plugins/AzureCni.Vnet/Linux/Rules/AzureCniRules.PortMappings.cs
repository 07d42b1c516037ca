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
    /// Port mappings (one tag for all of a container's), in the ip or ip6 table by the container address; for each:
    /// <code>
    /// nft add rule ip azure-cni prerouting fib daddr type local meta l4proto tcp tcp dport HOSTPORT dnat ip to ADDR:PORT
    /// nft add rule ip azure-cni output fib daddr type local meta l4proto tcp tcp dport HOSTPORT dnat ip to ADDR:PORT
    /// nft add rule ip azure-cni postrouting ip saddr ADDR ip daddr ADDR meta l4proto tcp tcp dport PORT masquerade
    /// </code>
    /// With a host address, <c>ip daddr HOSTIP</c> replaces <c>fib daddr type local</c>; a mapping whose host address
    /// is of the other family is skipped (as the portmap plugin does). Prerouting catches traffic from outside and
    /// from pods, output traffic the node itself sends to its own addresses, and postrouting masquerades a pod
    /// reaching itself through its host port (hairpin), whose reply would otherwise bypass the DNAT.
    /// </summary>
    internal static void WritePortMappings(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag, IReadOnlyList<NfPortMapping> mappings)
    {
        bool ip = false, ip6 = false;
        for (int i = 0; i < mappings.Count; i++)
        {
            bool v6 = mappings[i].ContainerAddress.AddressFamily == AddressFamily.InterNetworkV6;
            ip |= !v6;
            ip6 |= v6;
        }
        if (ip)
            AddNatTable(ref batch, NfFamily.Ip);
        if (ip6)
            AddNatTable(ref batch, NfFamily.Ip6);

        Span<byte> container = stackalloc byte[16];
        Span<byte> host = stackalloc byte[16];
        Span<byte> hostPort = stackalloc byte[2];
        Span<byte> containerPort = stackalloc byte[2];
        Span<byte> local = stackalloc byte[4];
        BitConverter.TryWriteBytes(local, NFT_FIB.RTN_LOCAL); // the fib result is a host-order u32
        for (int i = 0; i < mappings.Count; i++)
        {
            NfPortMapping mapping = mappings[i];
            if (mapping.Protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
                throw new ArgumentException($"Port mapping protocol {mapping.Protocol} is neither TCP nor UDP.", nameof(mappings));
            bool v6 = mapping.ContainerAddress.AddressFamily == AddressFamily.InterNetworkV6;
            if (mapping.HostAddress is { } hostAddress && hostAddress.AddressFamily != mapping.ContainerAddress.AddressFamily)
                continue;
            NfFamily family = v6 ? NfFamily.Ip6 : NfFamily.Ip;
            uint sourceOffset = v6 ? 8u : 12u, destinationOffset = v6 ? 24u : 16u;
            mapping.ContainerAddress.TryWriteBytes(container, out int addressLength);
            int hostLength = 0;
            mapping.HostAddress?.TryWriteBytes(host, out hostLength);
            BinaryPrimitives.WriteUInt16BigEndian(hostPort, mapping.HostPort);
            BinaryPrimitives.WriteUInt16BigEndian(containerPort, mapping.ContainerPort);
            ReadOnlySpan<byte> protocol = [(byte)mapping.Protocol];

            foreach (bool output in (ReadOnlySpan<bool>)[false, true])
            {
                batch.BeginRule(family, Table, output ? Output : Prerouting, tag);
                if (hostLength > 0)
                {
                    MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, destinationOffset, host[..hostLength]);
                }
                else
                {
                    batch.FibDestinationAddressType(Reg1);
                    batch.CompareEqual(Reg1, local);
                }
                batch.MetaLoad(NFT_META.NFT_META_L4PROTO, Reg1);
                batch.CompareEqual(Reg1, protocol);
                MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_TRANSPORT_HEADER, TransportDestinationPort, hostPort);
                batch.Immediate(Reg1, container[..addressLength]);
                batch.Immediate(Reg2, containerPort);
                batch.Nat(NFT_NAT.NFT_NAT_DNAT, family, Reg1, Reg2);
                batch.EndRule();
            }

            batch.BeginRule(family, Table, Postrouting, tag);
            MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, sourceOffset, container[..addressLength]);
            MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, destinationOffset, container[..addressLength]);
            batch.MetaLoad(NFT_META.NFT_META_L4PROTO, Reg1);
            batch.CompareEqual(Reg1, protocol);
            MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_TRANSPORT_HEADER, TransportDestinationPort, containerPort);
            batch.Masquerade();
            batch.EndRule();
        }
    }
}
