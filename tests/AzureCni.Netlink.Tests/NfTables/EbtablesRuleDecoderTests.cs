using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests.NfTables;

/// <summary>
/// Reading ebtables-nft's rules back: each golden payload is a NEWRULE (nlmsghdr stripped) exactly as the kernel
/// (6.18) returned it to a GETRULE dump of <c>bridge nat</c> after the command above it ran in a throwaway namespace
/// (ebtables 1.8.9 (nf_tables), nftables 1.0.6).
/// </summary>
public sealed class EbtablesRuleDecoderTests
{
    // ebtables -t nat -A PREROUTING -p ARP --arp-op Request --arp-ip-dst 10.240.0.5 -j arpreply --arpreply-mac 02:bd:0a:f0:00:05 --arpreply-target DROP
    private static readonly byte[] ArpReplyForPod = Hex.Parse("""
        07000008080001006e6174000f000200505245524f5554494e4700000c00030000000000000000023001040034000100
        0c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c0800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c000300060001000806000060000100
        0a0001006d6174636800000050000200080001006172700008000200000000003c000300000000000001000000000000
        000000000af00005ffffffff00000000000000000000000000000000000000000000000011000000000000002c000100
        0c000100636f756e746572001c0002000c00010000000000000000000c0002000000000000000000400001000b000100
        7461726765740000300002000d0001006172707265706c790000000008000200000000001400030002bd0af000050000
        feffffff00000000
        """);

    // ebtables -t nat -A PREROUTING -p IPv4 -i eth0 --ip-dst 10.240.0.5 -j dnat --to-dst 02:bd:0a:f0:00:05 --dnat-target ACCEPT
    private static readonly byte[] DnatForPod = Hex.Parse("""
        07000008080001006e6174000f000200505245524f5554494e4700000c00030000000000000000030c00060000000000
        000000026801040024000100090001006d65746100000000140002000800020000000006080001000000000130000100
        08000100636d700024000200080001000000000108000200000000001000030009000100657468300000000034000100
        0c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c0800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c000300060001000800000048000100
        0a0001006d61746368000000380002000700010069700000080002000000000024000300000000000af0000500000000
        ffffffff000002000000000000000000000000002c0001000c000100636f756e746572001c0002000c00010000000000
        000000000c00020000000000000000003c0001000b00010074617267657400002c00020009000100646e617400000000
        08000200000000001400030002bd0af000050000ffffffff00000000
        """);

    // ebtables -t nat -A PREROUTING -p IPv6 -i eth0 --ip6-dst fd00::5 -j dnat --to-dst 02:bd:0a:f0:00:05 --dnat-target ACCEPT
    private static readonly byte[] Dnat6ForPod = Hex.Parse("""
        07000008080001006e6174000f000200505245524f5554494e4700000c00030000000000000000040c00060000000000
        000000039801040024000100090001006d65746100000000140002000800020000000006080001000000000130000100
        08000100636d700024000200080001000000000108000200000000001000030009000100657468300000000034000100
        0c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c0800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c0003000600010086dd000078000100
        0a0001006d61746368000000680002000800010069703600080002000000000054000300000000000000000000000000
        00000000fd00000000000000000000000000000500000000000000000000000000000000ffffffffffffffffffffffff
        ffffffff000002000000000000000000000000002c0001000c000100636f756e746572001c0002000c00010000000000
        000000000c00020000000000000000003c0001000b00010074617267657400002c00020009000100646e617400000000
        08000200000000001400030002bd0af000050000ffffffff00000000
        """);

    // ebtables -t nat -A PREROUTING -p ARP -i eth0 --arp-op Reply -j dnat --to-dst ff:ff:ff:ff:ff:ff --dnat-target ACCEPT
    private static readonly byte[] ArpReplyToBroadcast = Hex.Parse("""
        07000008080001006e6174000f000200505245524f5554494e4700000c00030000000000000000050c00060000000000
        000000048001040024000100090001006d65746100000000140002000800020000000006080001000000000130000100
        08000100636d700024000200080001000000000108000200000000001000030009000100657468300000000034000100
        0c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c0800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c000300060001000806000060000100
        0a0001006d6174636800000050000200080001006172700008000200000000003c000300000000000002000000000000
        00000000000000000000000000000000000000000000000000000000000000000000000001000000000000002c000100
        0c000100636f756e746572001c0002000c00010000000000000000000c00020000000000000000003c0001000b000100
        74617267657400002c00020009000100646e617400000000080002000000000014000300ffffffffffff0000ffffffff
        00000000
        """);

    // ebtables -t nat -A PREROUTING -p IPv4 -i eth+ --ip-dst 10.240.0.0/24 -j dnat --to-dst 02:bd:0a:f0:00:06 --dnat-target ACCEPT
    private static readonly byte[] DnatOfPrefix = Hex.Parse("""
        07000008080001006e6174000f000200505245524f5554494e4700000c00030000000000000000080c00060000000000
        000000056401040024000100090001006d6574610000000014000200080002000000000608000100000000012c000100
        08000100636d700020000200080001000000000108000200000000000c0003000700010065746800340001000c000100
        7061796c6f6164002400020008000100000000010800020000000000080003000000000c08000400000000022c000100
        08000100636d700020000200080001000000000108000200000000000c0003000600010008000000480001000a000100
        6d61746368000000380002000700010069700000080002000000000024000300000000000af0000000000000ffffff00
        000002000000000000000000000000002c0001000c000100636f756e746572001c0002000c0001000000000000000000
        0c00020000000000000000003c0001000b00010074617267657400002c00020009000100646e61740000000008000200
        000000001400030002bd0af000060000ffffffff00000000
        """);

    // ebtables -t nat -A PREROUTING -p IPv4 -i eth0 --ip-dst ! 10.240.0.7 -j dnat --to-dst 02:bd:0a:f0:00:07 --dnat-target ACCEPT
    private static readonly byte[] DnatInverted = Hex.Parse("""
        07000008080001006e6174000f000200505245524f5554494e4700000c00030000000000000000090c00060000000000
        000000086801040024000100090001006d65746100000000140002000800020000000006080001000000000130000100
        08000100636d700024000200080001000000000108000200000000001000030009000100657468300000000034000100
        0c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c0800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c000300060001000800000048000100
        0a0001006d61746368000000380002000700010069700000080002000000000024000300000000000af0000700000000
        ffffffff000002020000000000000000000000002c0001000c000100636f756e746572001c0002000c00010000000000
        000000000c00020000000000000000003c0001000b00010074617267657400002c00020009000100646e617400000000
        08000200000000001400030002bd0af000070000ffffffff00000000
        """);

    // ebtables -t nat -A POSTROUTING -s unicast -o eth0 -j snat --to-src 00:0d:3a:00:00:01 --snat-arp --snat-target ACCEPT
    private static readonly byte[] SnatToMaster = Hex.Parse("""
        07000008080001006e61740010000200504f5354524f5554494e47000c00030000000000000000077801040024000100
        090001006d6574610000000014000200080002000000000708000100000000013000010008000100636d700024000200
        0800010000000001080002000000000010000300090001006574683000000000340001000c0001007061796c6f616400
        240002000800010000000001080002000000000008000300000000060800040000000006540001000c00010062697477
        69736500440002000800010000000001080002000000000108000300000000060800060000000000100004000a000100
        0100000000000000100005000a00010000000000000000003000010008000100636d7000240002000800010000000001
        0800020000000000100003000a00010000000000000000002c0001000c000100636f756e746572001c0002000c000100
        00000000000000000c00020000000000000000003c0001000b00010074617267657400002c00020009000100736e6174
        00000000080002000000000014000300000d3a0000010000efffffff00000000
        """);

    // nft add rule bridge nat PREROUTING ether type arp arp operation request arp daddr ip 10.240.0.9 counter drop
    private static readonly byte[] NativeArpDrop = Hex.Parse("""
        07000005080001006e6174000f000200505245524f5554494e4700000c00030000000000000000028001040034000100
        0c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c0800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c000300060001000806000034000100
        0c0001007061796c6f616400240002000800010000000001080002000000000108000300000000060800040000000002
        2c00010008000100636d700020000200080001000000000108000200000000000c000300060001000001000034000100
        0c0001007061796c6f616400240002000800010000000001080002000000000108000300000000180800040000000004
        2c00010008000100636d700020000200080001000000000108000200000000000c000300080001000af000092c000100
        0c000100636f756e746572001c0002000c00010000000000000000000c0002000000000000000000300001000e000100
        696d6d6564696174650000001c0002000800010000000000100002000c0002000800010000000000
        """);

    // nft add rule bridge nat PREROUTING iifname "eth0" ether type ip ip daddr 10.240.0.9 ether daddr set 02:bd:0a:f0:00:09 accept
    private static readonly byte[] NativeDnat = Hex.Parse("""
        07000005080001006e6174000f000200505245524f5554494e4700000c00030000000000000000030c00060000000000
        00000002cc01040024000100090001006d65746100000000140002000800020000000006080001000000000138000100
        08000100636d70002c000200080001000000000108000200000000001800030014000100657468300000000000000000
        00000000340001000c0001007061796c6f6164002400020008000100000000010800020000000000080003000000000c
        08000400000000022c00010008000100636d700020000200080001000000000108000200000000000c00030006000100
        08000000340001000c0001007061796c6f61640024000200080001000000000108000200000000010800030000000010
        08000400000000042c00010008000100636d700020000200080001000000000108000200000000000c00030008000100
        0af00009300001000e000100696d6d6564696174650000001c0002000800010000000001100002000a00010002bd0af0
        000900004c0001000c0001007061796c6f6164003c000200080005000000000108000200000000000800030000000000
        0800040000000006080006000000000008000700000000000800080000000000300001000e000100696d6d6564696174
        650000001c0002000800010000000000100002000c0002000800010000000001
        """);

    private static readonly PhysicalAddress PodMac = PhysicalAddress.Parse("02-BD-0A-F0-00-05");

    private static readonly Dictionary<string, byte[]> ByName = new(StringComparer.Ordinal)
    {
        [nameof(ArpReplyForPod)] = ArpReplyForPod, [nameof(DnatForPod)] = DnatForPod, [nameof(Dnat6ForPod)] = Dnat6ForPod,
        [nameof(ArpReplyToBroadcast)] = ArpReplyToBroadcast, [nameof(DnatOfPrefix)] = DnatOfPrefix, [nameof(DnatInverted)] = DnatInverted,
        [nameof(SnatToMaster)] = SnatToMaster, [nameof(NativeArpDrop)] = NativeArpDrop, [nameof(NativeDnat)] = NativeDnat,
    };

    public static TheoryData<string> Payloads => new(ByName.Keys);

    [Fact]
    public void ArpReply_ReadsAsArpRequestForTheAddressAnsweredWithTheMac()
    {
        var rule = EbtablesRuleDecoder.Decode(ArpReplyForPod);
        Assert.Equal(new NfRule(NfFamily.Bridge, "nat", "PREROUTING", 2, null), rule.Rule);
        Assert.Equal(new EbtablesRule(rule.Rule)
        {
            EtherType = 0x0806, ArpOperation = 1, ArpIPDestination = IPAddress.Parse("10.240.0.5"),
            Target = "arpreply", TargetMac = PodMac, TargetVerdict = EBT_VERDICT.EBT_DROP,
        }, rule);
    }

    [Fact]
    public void Dnat_ReadsAsIPv4DestinationOnTheInputInterfaceRewrittenToTheMac()
    {
        var rule = EbtablesRuleDecoder.Decode(DnatForPod);
        Assert.Equal((NfFamily.Bridge, "nat", "PREROUTING", 3ul), (rule.Rule.Family, rule.Rule.Table, rule.Rule.Chain, rule.Rule.Handle));
        Assert.Equal(((ushort?)0x0800, "eth0", (string?)null, IPAddress.Parse("10.240.0.5"), "dnat", EBT_VERDICT.EBT_ACCEPT),
            (rule.EtherType, rule.InInterface, rule.OutInterface, rule.IPDestination, rule.Target, rule.TargetVerdict ?? 0));
        Assert.Equal(PodMac, rule.TargetMac);
        Assert.Null(rule.ArpIPDestination);
        Assert.False(rule.HasOtherExpressions);
    }

    [Fact]
    public void Dnat6_ReadsAsIPv6Destination()
    {
        var rule = EbtablesRuleDecoder.Decode(Dnat6ForPod);
        Assert.Equal(((ushort?)0x86dd, "eth0", IPAddress.Parse("fd00::5"), "dnat"), (rule.EtherType, rule.InInterface, rule.IPDestination, rule.Target));
        Assert.Equal(PodMac, rule.TargetMac);
        Assert.False(rule.HasOtherExpressions);
    }

    [Fact]
    public void NodeRules_ReadAsWhatTheyMatch_TheUnicastSourceMatchIsOther()
    {
        var broadcast = EbtablesRuleDecoder.Decode(ArpReplyToBroadcast);
        Assert.Equal(((ushort?)0x0806, "eth0", (ushort?)2, (IPAddress?)null, "dnat"), (broadcast.EtherType, broadcast.InInterface, broadcast.ArpOperation, broadcast.ArpIPDestination, broadcast.Target));
        Assert.Equal(PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF"), broadcast.TargetMac);
        Assert.False(broadcast.HasOtherExpressions);

        var snat = EbtablesRuleDecoder.Decode(SnatToMaster);
        Assert.Equal(("POSTROUTING", "eth0", "snat", EBT_VERDICT.EBT_ACCEPT & ~EBT_VERDICT.NAT_ARP_BIT), (snat.Rule.Chain, snat.OutInterface, snat.Target, snat.TargetVerdict ?? 0));
        Assert.Equal(PhysicalAddress.Parse("00-0D-3A-00-00-01"), snat.TargetMac);
        Assert.True(snat.HasOtherExpressions); // -s unicast: a bitwise on the source MAC
    }

    [Fact]
    public void APrefixOrAnInversion_IsNotTakenForOneAddress()
    {
        var prefix = EbtablesRuleDecoder.Decode(DnatOfPrefix);
        Assert.Equal("eth+", prefix.InInterface);
        Assert.Null(prefix.IPDestination);
        Assert.True(prefix.HasOtherExpressions);

        var inverted = EbtablesRuleDecoder.Decode(DnatInverted);
        Assert.Null(inverted.IPDestination);
        Assert.True(inverted.HasOtherExpressions);
    }

    [Fact]
    public void NativeMatches_ReadAsTheirEbtablesEquivalents()
    {
        var drop = EbtablesRuleDecoder.Decode(NativeArpDrop);
        Assert.Equal(((ushort?)0x0806, (ushort?)1, IPAddress.Parse("10.240.0.9"), "DROP", false),
            (drop.EtherType, drop.ArpOperation, drop.ArpIPDestination, drop.Target, drop.HasOtherExpressions));

        // nft's own "ether daddr set" is no ebtables target: the matches are read, the rewrite is other.
        var dnat = EbtablesRuleDecoder.Decode(NativeDnat);
        Assert.Equal(("eth0", IPAddress.Parse("10.240.0.9"), "ACCEPT", true), (dnat.InInterface, dnat.IPDestination, dnat.Target, dnat.HasOtherExpressions));
    }

    [Fact]
    public void UpstreamsPodRules_AreKnownInTheKernelsBytes_AndNoOtherRuleIs()
    {
        var pod = new[] { IPAddress.Parse("10.240.0.5") };
        var rules = ByName.Values.Select(p => EbtablesRuleDecoder.Decode(p)).ToList();

        Assert.Equal([2ul, 3ul], rules.Where(r => AzureCni.Vnet.Linux.Rules.UpstreamPodRules.IsOf(r, PodMac, pod)).Select(r => r.Rule.Handle));
        Assert.Equal([2ul, 3ul, 4ul], rules.Where(r => AzureCni.Vnet.Linux.Rules.UpstreamPodRules.TryRead(r, out _, out _)).Select(r => r.Rule.Handle));
        Assert.Empty(AzureCni.Vnet.Linux.Rules.UpstreamPodRules.Missing(rules, "eth0", PodMac, [.. pod, IPAddress.Parse("fd00::5")]));
        // On a master named eth1, the dnat (-i eth0) is not the pod's; the arpreply (no -i) is.
        Assert.Contains("-p IPv4 -i eth1 --ip-dst 10.240.0.5 -j dnat", Assert.Single(AzureCni.Vnet.Linux.Rules.UpstreamPodRules.Missing(rules, "eth1", PodMac, pod)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void EveryTruncation_DecodesOrFailsWithADecodeError(string name)
    {
        byte[] payload = ByName[name];
        for (int length = 0; length < payload.Length; length++)
        {
            try
            {
                EbtablesRuleDecoder.Decode(payload.AsSpan(0, length));
            }
            catch (NetlinkDecodeException)
            {
            }
        }
    }

    [Fact]
    public void AShortExtensionStruct_IsADecodeError()
    {
        // [ match name ip rev 0 ] whose INFO holds 20 bytes, fewer than struct ebt_ip_info's 28.
        Span<byte> buffer = stackalloc byte[512];
        var expressions = new NetlinkWriter(buffer[256..]);
        using (expressions.BeginNested((ushort)NFTA_LIST.NFTA_LIST_ELEM))
        {
            expressions.WriteStringAttribute((ushort)NFTA_EXPR.NFTA_EXPR_NAME, "match"u8);
            using (expressions.BeginNested((ushort)NFTA_EXPR.NFTA_EXPR_DATA))
                NftMatchAttributes.Write(new NftMatchAttributes { Name = "ip"u8, Revision = 0, Info = new byte[20] }, ref expressions);
        }

        var writer = new NetlinkWriter(buffer[..256]);
        scoped var message = new NftRuleMessage { Header = new nfgenmsg { nfgen_family = NFPROTO.NFPROTO_BRIDGE } };
        message.Attributes.Table = "nat"u8;
        message.Attributes.Chain = "PREROUTING"u8;
        message.Attributes.Handle = 7;
        message.Attributes.Expressions = expressions.WrittenSpan;
        NftRuleMessage.Write(message, ref writer);
        byte[] payload = writer.WrittenSpan.ToArray();

        Assert.Equal(NetlinkDecodeError.BadAttributeLength, Assert.Throws<NetlinkDecodeException>(() => EbtablesRuleDecoder.Decode(payload)).Error);
    }

    [Fact]
    public void ExtensionStructs_HaveTheKernelsSizes()
    {
        Assert.Equal((28, 76, 52, 12), (ebt_ip_info.Size, ebt_ip6_info.Size, ebt_arp_info.Size, ebt_nat_info.Size));
    }
}
