using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;

namespace AzureCni.Vnet.Linux.Rules;

/// <summary>Which of the rule sets of <see cref="AzureCniRules"/>.</summary>
internal enum AzureCniRuleSet
{
    /// <summary>Bridge mode, node-wide: MAC SNAT towards the fabric, ARP replies made broadcast.</summary>
    BridgeNode,

    /// <summary>Bridge mode, per container: MAC DNAT of its addresses, its ARP requests kept off the fabric.</summary>
    BridgeContainer,

    /// <summary>Port mappings (DNAT from host ports, hairpin masquerade).</summary>
    PortMappings,

    /// <summary>Transparent-tunnel mode, per container: its traffic marked for the fabric, the hairpinned copy untracked.</summary>
    TunnelContainer,

    /// <summary>Bridge mode, node-wide, one per address of <c>ipsToRouteViaHost</c>: frames to it go up to the node.</summary>
    ViaHost,
}

/// <summary>
/// The packet rules of the azure-vnet data path, kept in tables of their own named <c>azure-cni</c> (families
/// <c>bridge</c>, <c>ip</c>, <c>ip6</c>) and never in anyone else's. Every rule carries a tag (its nft comment,
/// <see cref="RuleTag"/>). Applying a rule set replaces, in one atomic transaction, whatever rules carried its tag in
/// its families; deleting by tag removes exactly those rules and succeeds when there are none (the netlink library's
/// <see cref="NfTaggedRules"/> is the mechanism). docs/nftables.md gives each rule as nft syntax.
/// </summary>
internal static partial class AzureCniRules
{
    /// <summary>The name of this library's tables, in every family it uses.</summary>
    public const string TableName = "azure-cni";

    // Base chains. The bridge ones sit where ebtables' nat table did (NF_BR_PRI_NAT_DST_BRIDGED = -300,
    // NF_BR_PRI_NAT_SRC = 300); the ip/ip6 ones at nft's dstnat (-100) and srcnat (100).
    private const int BridgeDnatPriority = -300;
    private const int BridgeSnatPriority = 300;
    private const int DstNatPriority = -100;
    private const int SrcNatPriority = 100;

    // NF_IP_PRI_RAW: before conntrack (-200), as iptables' raw table; the mark is set there too (before routing).
    private const int RawPriority = -300;

    /// <summary>The table of transparent-tunnel mode (family ip only), its own so the last pod's DEL removes it whole.</summary>
    public const string TunnelTableName = "azure-cni-tunnel";

    /// <summary>The firewall mark upstream's transparent-tunnel mode gives a pod's packets (fwmark 3 lookup 101).</summary>
    public const uint TunnelMark = 3;

    private static readonly byte[] TunnelTableUtf8 = Encoding.UTF8.GetBytes(TunnelTableName);

    /// <summary>
    /// The table of <c>ipsToRouteViaHost</c> (family bridge only), its own so the last pod that needs it removes it
    /// whole, and the node's ruleset is then as before.
    /// </summary>
    public const string ViaHostTableName = "azure-cni-via-host";

    // NF_BR_PRI_FIRST: where ebtables' broute table hooks prerouting, before every other bridge chain.
    private const int BroutePriority = int.MinValue;

    private static readonly byte[] ViaHostTableUtf8 = Encoding.UTF8.GetBytes(ViaHostTableName);

    private static readonly byte[] TableUtf8 = Encoding.UTF8.GetBytes(TableName);

    private static ReadOnlySpan<byte> Table => TableUtf8;
    private static ReadOnlySpan<byte> Prerouting => "prerouting"u8;
    private static ReadOnlySpan<byte> Output => "output"u8;
    private static ReadOnlySpan<byte> Postrouting => "postrouting"u8;
    private static ReadOnlySpan<byte> Broute => "broute"u8;

    // Ethertypes as meta protocol holds them (__be16).
    private static ReadOnlySpan<byte> EtherTypeIPv4 => [0x08, 0x00];
    private static ReadOnlySpan<byte> EtherTypeArp => [0x08, 0x06];
    private static ReadOnlySpan<byte> EtherTypeIPv6 => [0x86, 0xdd];
    private static ReadOnlySpan<byte> ArpRequest => [0x00, 0x01];
    private static ReadOnlySpan<byte> ArpReply => [0x00, 0x02];
    private static ReadOnlySpan<byte> BroadcastMac => [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    private static ReadOnlySpan<byte> NextHeaderIcmpV6 => [58];
    private static ReadOnlySpan<byte> NeighborSolicitation => [135];
    private static ReadOnlySpan<byte> NeighborAdvertisement => [136];
    private static ReadOnlySpan<byte> SourceLinkLayerAddressOption => [1];
    private static ReadOnlySpan<byte> TargetLinkLayerAddressOption => [2];

    // Header offsets: ethernet (6 daddr, 6 saddr), ARP for Ethernet/IPv4 (op at 6, sha at 8, tpa at 24),
    // IPv4 (saddr 12, daddr 16), IPv6 (saddr 8, daddr 24), TCP/UDP (dport 2).
    private const uint EtherDestination = 0, EtherSource = 6;
    private const uint ArpOperation = 6, ArpSenderHardwareAddress = 8, ArpTargetProtocolAddress = 24;
    private const uint TransportDestinationPort = 2;

    // IPv6 next header at 6; ICMPv6 type at 0, checksum at 2, an NS or NA's target at 8, its first option at 24
    // (type, length, then the link-layer address at 26: RFC 4861 4.3, 4.4, 4.6.1).
    private const uint Ipv6NextHeader = 6;
    private const uint IcmpV6Type = 0, IcmpV6Checksum = 2, NdTarget = 8, NdFirstOption = 24, NdOptionLinkLayerAddress = 26;

    private const uint Reg1 = NFT_REG.NFT_REG_1, Reg2 = NFT_REG.NFT_REG_2;

    /// <summary>Applies <see cref="WriteBridgeNode"/> (replacing any rules with the same tag).</summary>
    public static void ApplyBridgeNode(NfTablesClient nft, string master, ReadOnlySpan<byte> masterMac)
    {
        byte[] mac = masterMac.ToArray();
        Apply(nft, RuleTag.Node(master), AzureCniRuleSet.BridgeNode, 4096,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag) => WriteBridgeNode(ref batch, tag, master, mac));
    }

    /// <summary>Applies <see cref="WriteBridgeContainer"/> (replacing any rules with the same tag in the bridge family).</summary>
    public static void ApplyBridgeContainer(NfTablesClient nft, string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses)
    {
        byte[] mac = containerMac.ToArray();
        Apply(nft, tag, AzureCniRuleSet.BridgeContainer, 1024 + 1024 * addresses.Count,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WriteBridgeContainer(ref batch, userData, master, mac, addresses));
    }

    /// <summary>Applies <see cref="WritePortMappings"/> (replacing any rules with the same tag in the ip and ip6 families).</summary>
    public static void ApplyPortMappings(NfTablesClient nft, string tag, IReadOnlyList<NfPortMapping> mappings) =>
        Apply(nft, tag, AzureCniRuleSet.PortMappings, 2048 + 2048 * mappings.Count,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WritePortMappings(ref batch, userData, mappings));

    /// <summary>Applies <see cref="WriteTunnelContainer"/> (replacing any rules with the same tag in the tunnel table).</summary>
    public static void ApplyTunnelContainer(NfTablesClient nft, string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
        Apply(nft, tag, AzureCniRuleSet.TunnelContainer, 2048 + 512 * addresses.Count,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WriteTunnelContainer(ref batch, userData, master, hostVeth, addresses));

    /// <summary>True when the rules of <see cref="ApplyTunnelContainer"/> with these arguments are all in place.</summary>
    public static bool HasTunnelContainer(NfTablesClient nft, string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses) =>
        Matches(nft, tag, AzureCniRuleSet.TunnelContainer, 2048 + 512 * addresses.Count,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WriteTunnelContainer(ref batch, userData, master, hostVeth, addresses));

    /// <summary><c>nft delete table ip azure-cni-tunnel</c>, when no rule is left in it; true when it went (or was not there).</summary>
    public static bool DeleteTunnelTableIfEmpty(NfTablesClient nft)
    {
        if (nft.ListRules(TunnelTableName, NfFamily.Ip).Count > 0)
            return false;
        nft.DeleteTable(NfFamily.Ip, TunnelTableName);
        return true;
    }

    /// <summary>Applies <see cref="WriteViaHost"/> under <see cref="RuleTag.ViaHost"/> (replacing any rule with that tag).</summary>
    public static void ApplyViaHost(NfTablesClient nft, IPAddress address, ReadOnlySpan<byte> bridgeMac)
    {
        byte[] mac = bridgeMac.ToArray();
        Apply(nft, RuleTag.ViaHost(address), AzureCniRuleSet.ViaHost, 1024,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WriteViaHost(ref batch, userData, address, mac));
    }

    /// <summary>True when the rule of <see cref="ApplyViaHost"/> for <paramref name="address"/> is in place.</summary>
    public static bool HasViaHost(NfTablesClient nft, IPAddress address) =>
        Matches(nft, RuleTag.ViaHost(address), AzureCniRuleSet.ViaHost, 1024,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WriteViaHost(ref batch, userData, address, new byte[6]));

    /// <summary>Removes the rule of <see cref="ApplyViaHost"/> for <paramref name="address"/>; how many rules went (0 is success).</summary>
    public static int DeleteViaHost(NfTablesClient nft, IPAddress address) => NfTaggedRules.Delete(nft, ViaHostTable, RuleTag.ViaHost(address));

    /// <summary><c>nft delete table bridge azure-cni-via-host</c>, when no rule is left in it; true when it went (or was not there).</summary>
    public static bool DeleteViaHostTableIfEmpty(NfTablesClient nft)
    {
        if (nft.ListRules(ViaHostTableName, NfFamily.Bridge).Count > 0)
            return false;
        nft.DeleteTable(NfFamily.Bridge, ViaHostTableName);
        return true;
    }

    /// <summary>True when the rules of <see cref="ApplyBridgeNode"/> with these arguments are all in place.</summary>
    public static bool HasBridgeNode(NfTablesClient nft, string master, ReadOnlySpan<byte> masterMac)
    {
        byte[] mac = masterMac.ToArray();
        return Matches(nft, RuleTag.Node(master), AzureCniRuleSet.BridgeNode, 4096,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag) => WriteBridgeNode(ref batch, tag, master, mac));
    }

    /// <summary>True when the rules of <see cref="ApplyBridgeContainer"/> with these arguments are all in place.</summary>
    public static bool HasBridgeContainer(NfTablesClient nft, string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses)
    {
        byte[] mac = containerMac.ToArray();
        return Matches(nft, tag, AzureCniRuleSet.BridgeContainer, 1024 + 1024 * addresses.Count,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WriteBridgeContainer(ref batch, userData, master, mac, addresses));
    }

    /// <summary>True when the rules of <see cref="ApplyPortMappings"/> with these arguments are all in place.</summary>
    public static bool HasPortMappings(NfTablesClient nft, string tag, IReadOnlyList<NfPortMapping> mappings) =>
        Matches(nft, tag, AzureCniRuleSet.PortMappings, 2048 + 2048 * mappings.Count,
            (ref NfBatchWriter batch, scoped ReadOnlySpan<byte> userData) => WritePortMappings(ref batch, userData, mappings));

    /// <summary>
    /// Deletes every rule tagged <paramref name="tag"/> in the <c>azure-cni</c> tables, in one transaction;
    /// returns how many there were (0 is success: DEL is idempotent).
    /// </summary>
    public static int Delete(NfTablesClient nft, string tag) => NfTaggedRules.Delete(nft, AllTables, tag) + NfTaggedRules.Delete(nft, TunnelTable, tag);

    /// <summary>Every tag present in this library's tables (for garbage-collecting what no state entry owns).</summary>
    public static List<string> ListTags(NfTablesClient nft)
    {
        var tags = NfTaggedRules.ListTags(nft, AllTables);
        tags.AddRange(NfTaggedRules.ListTags(nft, TunnelTable));
        tags.AddRange(NfTaggedRules.ListTags(nft, ViaHostTable));
        return NfTaggedRules.SortedDistinct(tags);
    }

    /// <summary>The nat tables of port mappings, when they hold no rule (<c>nft delete table ip azure-cni</c>, and ip6).</summary>
    public static void DeletePortMappingTablesIfEmpty(NfTablesClient nft)
    {
        if (nft.ListRules(TableName, NatTables.Families).Count == 0)
            NfTaggedRules.DeleteTables(nft, NatTables);
    }

    /// <summary><c>nft delete table {bridge,ip,ip6} azure-cni</c>: every rule of this library, gone (node teardown).</summary>
    public static void DeleteTables(NfTablesClient nft)
    {
        NfTaggedRules.DeleteTables(nft, AllTables);
        NfTaggedRules.DeleteTables(nft, TunnelTable);
        NfTaggedRules.DeleteTables(nft, ViaHostTable);
    }

    /// <summary>
    /// Bridge mode, node-wide (tag <c>azcni:node:MASTER</c>); the Azure fabric only accepts frames from the NIC's MAC:
    /// <code>
    /// nft add rule bridge azure-cni postrouting oifname MASTER ether saddr set MASTERMAC
    /// nft add rule bridge azure-cni postrouting oifname MASTER meta protocol arp arp saddr ether set MASTERMAC
    /// nft add rule bridge azure-cni prerouting iifname MASTER meta protocol arp arp operation reply ether daddr set ff:ff:ff:ff:ff:ff meta pkttype set broadcast
    /// </code>
    /// The third makes ARP replies, which the fabric addresses to the NIC's MAC, reach the pod that asked. IPv6's
    /// equivalent of the second, for neighbour solicitations and advertisements (the link-layer address option
    /// first, as Linux sends them; the ICMPv6 checksum updated):
    /// <code>
    /// nft add rule bridge azure-cni postrouting oifname MASTER meta protocol ip6 ip6 nexthdr icmpv6 icmpv6 type nd-neighbor-solicit @th,192,8 1 @th,208,48 set MASTERMAC
    /// nft add rule bridge azure-cni postrouting oifname MASTER meta protocol ip6 ip6 nexthdr icmpv6 icmpv6 type nd-neighbor-advert @th,192,8 2 @th,208,48 set MASTERMAC
    /// </code>
    /// The fabric's answer to a pod's solicitation then goes to the NIC's MAC, which the pod's own rule (below) turns
    /// back into the pod's.
    /// </summary>
    internal static void WriteBridgeNode(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag, string master, scoped ReadOnlySpan<byte> masterMac)
    {
        CheckMac(masterMac);
        Span<byte> ifName = stackalloc byte[IfNameSize];
        WriteIfName(master, ifName);
        AddBridgeTable(ref batch);

        batch.BeginRule(NfFamily.Bridge, Table, Postrouting, tag);
        MatchInterface(ref batch, NFT_META.NFT_META_OIFNAME, ifName);
        batch.Immediate(Reg1, masterMac);
        batch.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_LL_HEADER, EtherSource, 6, Reg1);
        batch.EndRule();

        batch.BeginRule(NfFamily.Bridge, Table, Postrouting, tag);
        MatchInterface(ref batch, NFT_META.NFT_META_OIFNAME, ifName);
        MatchEtherType(ref batch, EtherTypeArp);
        batch.Immediate(Reg1, masterMac);
        batch.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, ArpSenderHardwareAddress, 6, Reg1);
        batch.EndRule();

        batch.BeginRule(NfFamily.Bridge, Table, Prerouting, tag);
        MatchInterface(ref batch, NFT_META.NFT_META_IIFNAME, ifName);
        MatchEtherType(ref batch, EtherTypeArp);
        MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, ArpOperation, ArpReply);
        batch.Immediate(Reg1, BroadcastMac);
        batch.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_LL_HEADER, EtherDestination, 6, Reg1);
        batch.Immediate(Reg1, [1]); // PACKET_BROADCAST
        batch.MetaSet(NFT_META.NFT_META_PKTTYPE, Reg1);
        batch.EndRule();

        WriteNdLinkLayerAddressRewrite(ref batch, tag, ifName, NeighborSolicitation, SourceLinkLayerAddressOption, masterMac);
        WriteNdLinkLayerAddressRewrite(ref batch, tag, ifName, NeighborAdvertisement, TargetLinkLayerAddressOption, masterMac);
    }

    private static void WriteNdLinkLayerAddressRewrite(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag, scoped ReadOnlySpan<byte> ifName,
        scoped ReadOnlySpan<byte> type, scoped ReadOnlySpan<byte> option, scoped ReadOnlySpan<byte> mac)
    {
        batch.BeginRule(NfFamily.Bridge, Table, Postrouting, tag);
        MatchInterface(ref batch, NFT_META.NFT_META_OIFNAME, ifName);
        MatchNeighborDiscovery(ref batch, type);
        MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_TRANSPORT_HEADER, NdFirstOption, option);
        batch.Immediate(Reg1, mac);
        batch.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_TRANSPORT_HEADER, NdOptionLinkLayerAddress, 6, Reg1, PayloadChecksum.Inet(IcmpV6Checksum));
        batch.EndRule();
    }

    /// <summary><c>meta protocol ip6 ip6 nexthdr icmpv6 icmpv6 type TYPE</c>.</summary>
    private static void MatchNeighborDiscovery(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> type)
    {
        MatchEtherType(ref batch, EtherTypeIPv6);
        MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, Ipv6NextHeader, NextHeaderIcmpV6);
        MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_TRANSPORT_HEADER, IcmpV6Type, type);
    }

    /// <summary>
    /// Bridge mode, one container (its own tag), for each of its addresses:
    /// <code>
    /// nft add rule bridge azure-cni prerouting iifname MASTER ether type ip ip daddr ADDR ether daddr set CONTAINERMAC
    /// nft add rule bridge azure-cni prerouting iifname MASTER ether type ip6 ip6 daddr ADDR6 ether daddr set CONTAINERMAC
    /// nft add rule bridge azure-cni postrouting oifname MASTER meta protocol arp arp operation request arp daddr ip ADDR drop
    /// nft add rule bridge azure-cni postrouting oifname MASTER meta protocol ip6 ip6 nexthdr icmpv6 icmpv6 type nd-neighbor-solicit @th,64,128 ADDR6 drop
    /// </code>
    /// The first two deliver frames the fabric sends to the NIC's MAC. The third replaces ebtables' arpreply (which
    /// nftables lacks): the request is flooded on the bridge, so the container answers it itself, and the copy that
    /// would go out to the fabric (which would answer with its own MAC and hairpin the traffic) is dropped. The fourth
    /// is the same for a neighbour solicitation of an IPv6 address.
    /// </summary>
    internal static void WriteBridgeContainer(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tag, string master,
        scoped ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses)
    {
        CheckMac(containerMac);
        Span<byte> ifName = stackalloc byte[IfNameSize];
        Span<byte> address = stackalloc byte[16];
        WriteIfName(master, ifName);
        AddBridgeTable(ref batch);

        for (int i = 0; i < addresses.Count; i++)
        {
            bool v6 = addresses[i].AddressFamily == AddressFamily.InterNetworkV6;
            addresses[i].TryWriteBytes(address, out int length);
            batch.BeginRule(NfFamily.Bridge, Table, Prerouting, tag);
            MatchInterface(ref batch, NFT_META.NFT_META_IIFNAME, ifName);
            MatchEtherType(ref batch, v6 ? EtherTypeIPv6 : EtherTypeIPv4);
            MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24u : 16u, address[..length]);
            batch.Immediate(Reg1, containerMac);
            batch.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_LL_HEADER, EtherDestination, 6, Reg1);
            batch.EndRule();
        }

        for (int i = 0; i < addresses.Count; i++)
        {
            bool v6 = addresses[i].AddressFamily == AddressFamily.InterNetworkV6;
            addresses[i].TryWriteBytes(address, out int length);
            batch.BeginRule(NfFamily.Bridge, Table, Postrouting, tag);
            MatchInterface(ref batch, NFT_META.NFT_META_OIFNAME, ifName);
            if (v6)
            {
                MatchNeighborDiscovery(ref batch, NeighborSolicitation);
                MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_TRANSPORT_HEADER, NdTarget, address[..length]);
            }
            else
            {
                MatchEtherType(ref batch, EtherTypeArp);
                MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, ArpOperation, ArpRequest);
                MatchPayload(ref batch, NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, ArpTargetProtocolAddress, address[..length]);
            }

            batch.Verdict(NF_VERDICT.NF_DROP);
            batch.EndRule();
        }
    }

    // IFNAMSIZ: nft compares interface names as the full zero-padded 16 bytes, an exact match.
    private const int IfNameSize = 16;

    /// <summary>The families this library keeps tables in.</summary>
    private static readonly NfRuleScope AllTables = new(TableName, [NfFamily.Bridge, NfFamily.Ip, NfFamily.Ip6]);
    private static readonly NfRuleScope BridgeTable = new(TableName, [NfFamily.Bridge]);
    private static readonly NfRuleScope NatTables = new(TableName, [NfFamily.Ip, NfFamily.Ip6]);
    private static readonly NfRuleScope TunnelTable = new(TunnelTableName, [NfFamily.Ip]);
    private static readonly NfRuleScope ViaHostTable = new(ViaHostTableName, [NfFamily.Bridge]);

    private static NfRuleScope ScopeOf(AzureCniRuleSet set) => set switch
    {
        AzureCniRuleSet.PortMappings => NatTables,
        AzureCniRuleSet.TunnelContainer => TunnelTable,
        AzureCniRuleSet.ViaHost => ViaHostTable,
        _ => BridgeTable,
    };

    private static void Apply(NfTablesClient nft, string tag, AzureCniRuleSet set, int estimate, NfRuleSetWriter write) =>
        NfTaggedRules.Replace(nft, ScopeOf(set), tag, estimate, write);

    private static bool Matches(NfTablesClient nft, string tag, AzureCniRuleSet set, int estimate, NfRuleSetWriter write) =>
        NfTaggedRules.Matches(nft, ScopeOf(set), tag, estimate, write);

    private static void AddBridgeTable(ref NfBatchWriter batch)
    {
        batch.AddTable(NfFamily.Bridge, Table);
        batch.AddBaseChain(NfFamily.Bridge, Table, Prerouting, "filter"u8, NfHook.Prerouting, BridgeDnatPriority);
        batch.AddBaseChain(NfFamily.Bridge, Table, Postrouting, "filter"u8, NfHook.Postrouting, BridgeSnatPriority);
    }

    private static void AddNatTable(ref NfBatchWriter batch, NfFamily family)
    {
        batch.AddTable(family, Table);
        batch.AddBaseChain(family, Table, Prerouting, "nat"u8, NfHook.Prerouting, DstNatPriority);
        batch.AddBaseChain(family, Table, Output, "nat"u8, NfHook.Output, DstNatPriority);
        batch.AddBaseChain(family, Table, Postrouting, "nat"u8, NfHook.Postrouting, SrcNatPriority);
    }

    /// <summary><c>iifname/oifname NAME</c>.</summary>
    private static void MatchInterface(ref NfBatchWriter batch, uint key, scoped ReadOnlySpan<byte> ifName)
    {
        batch.MetaLoad(key, Reg1);
        batch.CompareEqual(Reg1, ifName);
    }

    /// <summary><c>meta protocol TYPE</c> (the ethertype).</summary>
    private static void MatchEtherType(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> etherType)
    {
        batch.MetaLoad(NFT_META.NFT_META_PROTOCOL, Reg1);
        batch.CompareEqual(Reg1, etherType);
    }

    /// <summary>Packet bytes at BASE+OFFSET equal <paramref name="value"/>.</summary>
    private static void MatchPayload(ref NfBatchWriter batch, uint payloadBase, uint offset, scoped ReadOnlySpan<byte> value)
    {
        batch.PayloadLoad(payloadBase, offset, (uint)value.Length, Reg1);
        batch.CompareEqual(Reg1, value);
    }

    private static void WriteIfName(string name, Span<byte> destination)
    {
        destination.Clear();
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) >= IfNameSize)
            throw new ArgumentException($"'{name}' is not a valid interface name.", nameof(name));
        Encoding.UTF8.GetBytes(name, destination);
    }

    private static void CheckMac(ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6)
            throw new ArgumentException("A MAC address has 6 bytes.", nameof(mac));
    }
}
