using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Netlink.IntegrationTests.NfTables;

/// <summary>
/// Each rule set applied inside a throwaway namespace, checked against <c>nft -j list ruleset</c> run there,
/// re-applied (no duplicates), checked, deleted by tag (nothing left), deleted again (success).
/// </summary>
public sealed class NfTablesRuleSetTests
{
    private static readonly byte[] MasterMac = [0x00, 0x0d, 0x3a, 0x01, 0x02, 0x03];
    private static readonly byte[] ContainerMac = [0x02, 0x42, 0x0a, 0x00, 0x00, 0x05];

    [RootFact]
    public void BridgeNodeRules()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        string tag = RuleTag.Node("eth0");

        AzureCniRules.ApplyBridgeNode(nft, "eth0", MasterMac);
        AzureCniRules.ApplyBridgeNode(nft, "eth0", MasterMac);

        List<JsonElement> rules = NftRules(ns, "bridge");
        Assert.Equal(5, rules.Count);
        Assert.All(rules, r => Assert.Equal(tag, r.GetProperty("comment").GetString()));
        string text = ns.Exec("nft", "list", "table", "bridge", "azure-cni");
        Assert.Contains("oifname \"eth0\" ether saddr set 00:0d:3a:01:02:03", text);
        Assert.Contains("oifname \"eth0\" arp saddr ether set 00:0d:3a:01:02:03", text);
        Assert.Contains("iifname \"eth0\" arp operation reply ether daddr set ff:ff:ff:ff:ff:ff meta pkttype set broadcast", text);
        Assert.Contains("icmpv6 type nd-neighbor-solicit @th,192,8 0x1 @th,208,48 set 0xd3a010203", text);
        Assert.Contains("icmpv6 type nd-neighbor-advert @th,192,8 0x2 @th,208,48 set 0xd3a010203", text);
        Assert.Equal(["prerouting filter prerouting -300 accept", "postrouting filter postrouting 300 accept"], NftChains(ns, "bridge"));
        Assert.True(AzureCniRules.HasBridgeNode(nft, "eth0", MasterMac));
        Assert.Equal([tag], AzureCniRules.ListTags(nft));

        Assert.Equal(5, AzureCniRules.Delete(nft, tag));
        Assert.Empty(NftRules(ns, "bridge"));
        Assert.False(AzureCniRules.HasBridgeNode(nft, "eth0", MasterMac));
        Assert.Equal(0, AzureCniRules.Delete(nft, tag));
    }

    /// <summary>The kernel takes the via-host rule, once per address however often applied; the table goes with the last.</summary>
    [RootFact]
    public void ViaHostRule()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        IPAddress dns = IPAddress.Parse("169.254.20.10"), other = IPAddress.Parse("169.254.20.11");

        AzureCniRules.ApplyViaHost(nft, dns, MasterMac);
        AzureCniRules.ApplyViaHost(nft, dns, MasterMac);
        AzureCniRules.ApplyViaHost(nft, other, MasterMac);

        Assert.Equal([RuleTag.ViaHost(dns), RuleTag.ViaHost(other)],
            nft.ListRules(AzureCniRules.ViaHostTableName, NfFamily.Bridge).ConvertAll(r => r.Tag));
        Assert.All(nft.ListRules(AzureCniRules.ViaHostTableName, NfFamily.Bridge), r => Assert.Equal("broute", r.Chain));
        Assert.Contains("ip daddr 169.254.20.10 ether daddr set 00:0d:3a:01:02:03 meta pkttype set host comment \"azcni:node:via-host:169.254.20.10\"",
            ns.Exec("nft", "list", "table", "bridge", "azure-cni-via-host"));
        Assert.Equal(["broute filter prerouting -2147483648 accept"], NftChains(ns, "bridge", AzureCniRules.ViaHostTableName));
        Assert.True(AzureCniRules.HasViaHost(nft, dns));
        Assert.Equal([RuleTag.ViaHost(dns), RuleTag.ViaHost(other)], AzureCniRules.ListTags(nft));

        Assert.Equal(1, AzureCniRules.DeleteViaHost(nft, dns));
        Assert.False(AzureCniRules.HasViaHost(nft, dns));
        Assert.False(AzureCniRules.DeleteViaHostTableIfEmpty(nft));
        Assert.Equal(1, AzureCniRules.DeleteViaHost(nft, other));
        Assert.Equal(0, AzureCniRules.DeleteViaHost(nft, other));
        Assert.True(AzureCniRules.DeleteViaHostTableIfEmpty(nft));
        Assert.DoesNotContain("azure-cni-via-host", ns.Exec("nft", "list", "tables"));
    }

    [RootFact]
    public void BridgeContainerRules()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        string tag = RuleTag.Attachment("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "eth0");
        IPAddress[] addresses = [IPAddress.Parse("10.240.0.5"), IPAddress.Parse("fd00::5")];

        AzureCniRules.ApplyBridgeNode(nft, "eth0", MasterMac);
        AzureCniRules.ApplyBridgeContainer(nft, tag, "eth0", ContainerMac, addresses);
        AzureCniRules.ApplyBridgeContainer(nft, tag, "eth0", ContainerMac, addresses);

        Assert.Equal(4, NftRules(ns, "bridge").Count(r => r.GetProperty("comment").GetString() == tag));
        string text = ns.Exec("nft", "list", "table", "bridge", "azure-cni");
        Assert.Contains("iifname \"eth0\" ip daddr 10.240.0.5 ether daddr set 02:42:0a:00:00:05", text);
        Assert.Contains("iifname \"eth0\" ip6 daddr fd00::5 ether daddr set 02:42:0a:00:00:05", text);
        Assert.Contains("oifname \"eth0\" arp operation request arp daddr ip 10.240.0.5 drop", text);
        Assert.Contains("icmpv6 type nd-neighbor-solicit @th,64,128 0xfd000000000000000000000000000005 drop", text);
        Assert.True(AzureCniRules.HasBridgeContainer(nft, tag, "eth0", ContainerMac, addresses));
        Assert.False(AzureCniRules.HasBridgeContainer(nft, tag, "eth0", ContainerMac, [addresses[0]]));
        Assert.Equal(new SortedSet<string>([tag, RuleTag.Node("eth0")], StringComparer.Ordinal), AzureCniRules.ListTags(nft));

        Assert.Equal(4, AzureCniRules.Delete(nft, tag));
        Assert.Equal(5, NftRules(ns, "bridge").Count); // the node rules stay
        Assert.Equal(0, AzureCniRules.Delete(nft, tag));
        AzureCniRules.DeleteTables(nft);
        Assert.DoesNotContain("azure-cni", ns.Exec("nft", "list", "tables"));
        AzureCniRules.DeleteTables(nft); // idempotent
    }

    [RootFact]
    public void PortMappingRules()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        string tag = RuleTag.Attachment("c1", "eth0");
        NfPortMapping[] mappings =
        [
            new(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.240.0.5")),
            new(5353, 53, ProtocolType.Udp, IPAddress.Parse("10.240.0.5"), IPAddress.Parse("10.0.0.4")),
            new(8080, 80, ProtocolType.Tcp, IPAddress.Parse("fd00::5")),
            new(9090, 90, ProtocolType.Tcp, IPAddress.Parse("fd00::5"), IPAddress.Parse("10.0.0.4")), // family mismatch: skipped
        ];

        AzureCniRules.ApplyPortMappings(nft, tag, mappings);
        Assert.Equal(
            string.Join(' ', "ip:prerouting ip:prerouting ip:output ip:output ip:postrouting ip:postrouting ip6:prerouting ip6:output ip6:postrouting".Split(' ').Order(StringComparer.Ordinal)),
            string.Join(' ', nft.ListRules("azure-cni", NfFamily.Bridge, NfFamily.Ip, NfFamily.Ip6).Select(r => $"{r.Family.ToString().ToLowerInvariant()}:{r.Chain}").Order(StringComparer.Ordinal)));
        AzureCniRules.ApplyPortMappings(nft, tag, mappings);

        Assert.Equal(6, NftRules(ns, "ip").Count);
        Assert.True(NftRules(ns, "ip6").Count == 3, ns.Exec("nft", "-a", "list", "table", "ip6", "azure-cni"));
        string ip = ns.Exec("nft", "list", "table", "ip", "azure-cni");
        Assert.Contains("fib daddr type local tcp dport 8080 dnat to 10.240.0.5:80", ip);
        Assert.Contains("ip daddr 10.0.0.4 udp dport 5353 dnat to 10.240.0.5:53", ip);
        Assert.Contains("ip saddr 10.240.0.5 ip daddr 10.240.0.5 tcp dport 80 masquerade", ip);
        Assert.Equal(["prerouting nat prerouting -100 accept", "output nat output -100 accept", "postrouting nat postrouting 100 accept"], NftChains(ns, "ip"));
        string ip6 = ns.Exec("nft", "list", "table", "ip6", "azure-cni");
        Assert.Contains("fib daddr type local tcp dport 8080 dnat to [fd00::5]:80", ip6);
        Assert.True(AzureCniRules.HasPortMappings(nft, tag, mappings));
        Assert.False(AzureCniRules.HasPortMappings(nft, tag, mappings[..1]));

        Assert.Equal(9, AzureCniRules.Delete(nft, tag));
        Assert.Empty(NftRules(ns, "ip"));
        Assert.Empty(NftRules(ns, "ip6"));
        Assert.Empty(AzureCniRules.ListTags(nft));
        Assert.Equal(0, AzureCniRules.Delete(nft, tag));
    }

    [RootFact]
    public void OtherTablesAreNeverTouched()
    {
        using TestNamespace ns = TestNamespace.Create();
        ns.Exec("nft", "add table ip other; add chain ip other c { type nat hook prerouting priority -100; }; add rule ip other c tcp dport 1 comment \"azcni:c1:eth0\"");
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        string tag = RuleTag.Attachment("c1", "eth0");

        AzureCniRules.ApplyPortMappings(nft, tag, [new(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.240.0.5"))]);
        Assert.Equal(3, AzureCniRules.Delete(nft, tag));
        AzureCniRules.DeleteTables(nft);

        Assert.Contains("comment \"azcni:c1:eth0\"", ns.Exec("nft", "list", "table", "ip", "other"));
    }

    [RootFact]
    public void KernelErrorsCarryTheExtendedAck()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        AzureCniRules.ApplyPortMappings(nft, "azcni:c1:eth0", [new(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.240.0.5"))]);

        // The same chain name with another hook is refused; the whole batch (table included) is rolled back.
        Span<byte> buffer = stackalloc byte[1024];
        var batch = new NfBatchWriter(buffer);
        batch.AddTable(NfFamily.Ip, "azure-cni"u8);
        batch.AddTable(NfFamily.Ip, "azcni-rolled-back"u8);
        batch.AddBaseChain(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, "nat"u8, NfHook.Postrouting, 100);
        int count = batch.MessageCount;
        int length = batch.Finish().Length;
        byte[] bytes = buffer[..length].ToArray();

        NetlinkException e = Assert.ThrowsAny<NetlinkException>(() => nft.Commit(bytes, count));
        Assert.Contains("NEWCHAIN (batch message 3)", e.Message);
        Assert.True(e.Errno > 0);
        Assert.DoesNotContain("azcni-rolled-back", ns.Exec("nft", "list", "tables"));
        Assert.False(nft.DeleteTable(NfFamily.Ip, "azcni-never-created"));
    }

    [RootFact]
    public void BitwiseCounterAndChecksummedPayloadWritesAreAccepted()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        Span<byte> buffer = stackalloc byte[4096];
        var batch = new NfBatchWriter(buffer);
        batch.AddTable(NfFamily.Ip, "azure-cni"u8);
        batch.AddBaseChain(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, "filter"u8, NfHook.Prerouting, 0);
        // ip saddr & 255.255.0.0 == 10.1.0.0 counter ip daddr set 10.9.9.9 accept
        batch.BeginRule(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, default);
        batch.PayloadLoad(1, 12, 4, 1);
        batch.Bitwise(1, 1, [255, 255, 0, 0], [0, 0, 0, 0]);
        batch.CompareEqual(1, [10, 1, 0, 0]);
        batch.Counter();
        batch.Immediate(1, [10, 9, 9, 9]);
        batch.PayloadSet(1, 16, 4, 1, new PayloadChecksum(1, 10, 1)); // NFT_PAYLOAD_CSUM_INET at the IPv4 checksum, L4 pseudo-header too
        batch.Verdict(1);
        batch.EndRule();
        int count = batch.MessageCount;
        int length = batch.Finish().Length;
        byte[] bytes = buffer[..length].ToArray();

        nft.Commit(bytes, count);

        string text = ns.Exec("nft", "list", "table", "ip", "azure-cni");
        Assert.Contains("ip saddr 10.1.0.0/16 counter packets 0 bytes 0 ip daddr set 10.9.9.9 accept", text);
        Assert.True(nft.DeleteTable(NfFamily.Ip, "azure-cni"));
    }

    /// <summary>"name type hook prio policy" of each chain of <c>nft -j list table FAMILY azure-cni</c>.</summary>
    internal static List<string> NftChains(TestNamespace ns, string family, string table = AzureCniRules.TableName)
    {
        using JsonDocument document = JsonDocument.Parse(ns.Exec("nft", "-j", "list", "table", family, table));
        return document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(e => e.TryGetProperty("chain", out _))
            .Select(e => e.GetProperty("chain"))
            .Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("type").GetString()} {c.GetProperty("hook").GetString()} {c.GetProperty("prio").GetInt32()} {c.GetProperty("policy").GetString()}")
            .ToList();
    }

    /// <summary>The rule objects of <c>nft -j list table FAMILY azure-cni</c> (none when the table does not exist).</summary>
    internal static List<JsonElement> NftRules(TestNamespace ns, string family)
    {
        string json;
        try
        {
            json = ns.Exec("nft", "-j", "list", "table", family, "azure-cni");
        }
        catch (InvalidOperationException)
        {
            return [];
        }
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(e => e.TryGetProperty("rule", out _))
            .Select(e => e.GetProperty("rule").Clone())
            .ToList();
    }
}
