using System.Net;
using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.Linux.Rules;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests.NfTables;

/// <summary>Decoding of dumped rules and rule tags: well-formed input round-trips, malformed input fails cleanly.</summary>
public sealed class NfTablesDecoderTests
{
    private static byte[] DumpedRulePayload(string? tag = "azcni:c1:eth0", ulong handle = 42)
    {
        byte[] buffer = new byte[1024];
        var writer = new NetlinkWriter(buffer);
        FakeNfTablesKernel.WriteRule(ref writer, NfFamily.Ip6, "azure-cni", "postrouting", handle, tag);
        return writer.WrittenSpan[NetlinkAlign.MessageHeaderLength..].ToArray();
    }

    [Fact]
    public void DumpedRuleDecodes()
    {
        Assert.Equal(new NfRule(NfFamily.Ip6, "azure-cni", "postrouting", 42, "azcni:c1:eth0"), NfRuleDump.Decode(DumpedRulePayload()));
        Assert.Null(NfRuleDump.Decode(DumpedRulePayload(tag: null)).Tag);
    }

    [Fact]
    public void RuleWithoutHandleIsMalformed()
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        writer.BeginMessage(NFNL.MessageType(NFT_MSG.NFT_MSG_NEWRULE), 0);
        scoped var message = new NftRuleMessage { Header = new nfgenmsg { nfgen_family = 2 } };
        message.Attributes.Table = "t"u8;
        message.Attributes.Chain = "c"u8;
        NftRuleMessage.Write(message, ref writer);
        writer.EndMessage();
        byte[] payload = writer.WrittenSpan[16..].ToArray();
        Assert.Throws<NetlinkDecodeException>(() => NfRuleDump.Decode(payload));
    }

    [Fact]
    public void EveryTruncationFailsWithADecodeErrorOrDecodes()
    {
        byte[] payload = DumpedRulePayload();
        for (int length = 0; length < payload.Length; length++)
        {
            byte[] cut = payload[..length];
            try
            {
                NfRuleDump.Decode(cut);
            }
            catch (NetlinkDecodeException)
            {
            }
        }
        Assert.Throws<NetlinkDecodeException>(() => NfRuleDump.Decode(payload[..3]));
    }

    [Fact]
    public void SeededMutationsOnlyRaiseDecodeErrors()
    {
        var random = new Random(2024);
        byte[] original = DumpedRulePayload();
        int decoded = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] mutated = (byte[])original.Clone();
            for (int flips = random.Next(1, 6); flips > 0; flips--)
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                NfRuleDump.Decode(mutated);
                decoded++;
            }
            catch (NetlinkDecodeException)
            {
            }
        }
        Assert.InRange(decoded, 1, 4999); // both outcomes were exercised
    }

    [Fact]
    public void TagRoundTripsAndMalformedUserDataHasNoTag()
    {
        byte[] buffer = new byte[160];
        int length = NfRuleTag.Write("azcni:node:eth0", buffer);
        Assert.Equal(NfRuleTag.EncodedLength("azcni:node:eth0"), length);
        Assert.True(NfRuleTag.TryRead(buffer.AsSpan(0, length), out ReadOnlySpan<byte> tag));
        Assert.Equal("azcni:node:eth0"u8.ToArray(), tag.ToArray());

        Assert.False(NfRuleTag.TryRead([0, 50, 1, 2], out _));          // length beyond the data
        Assert.False(NfRuleTag.TryRead([1, 2, 0x61, 0], out _));         // another TLV type only
        Assert.True(NfRuleTag.TryRead([1, 1, 9, 0, 2, 0x61, 0], out tag)); // comment after another TLV
        Assert.Equal("a"u8.ToArray(), tag.ToArray());
        Assert.False(NfRuleTag.TryRead([], out _));
    }

    [Fact]
    public void TagsMustFitTheCommentLimit()
    {
        byte[] buffer = new byte[300];
        Assert.Throws<ArgumentException>(() => NfRuleTag.Write("", buffer));
        Assert.Throws<ArgumentException>(() => NfRuleTag.Write(new string('a', 128), buffer));
        Assert.Equal(130, NfRuleTag.Write(new string('a', 127), buffer));
        // The longest real tag: a 64-hex container id and a 15-byte interface name.
        Assert.True(NfRuleTag.EncodedLength(RuleTag.Attachment(new string('f', 64), "eth0123456789ab")) <= 130);
    }

    [Fact]
    public void RuleSetsPlaceEachRuleInItsFamilyAndChain()
    {
        byte[] buffer = new byte[16384];
        byte[] tag = new byte[64];
        int tagLength = NfRuleTag.Write("azcni:c1:eth0", tag);

        var batch = new NfBatchWriter(buffer);
        AzureCniRules.WritePortMappings(ref batch, tag.AsSpan(0, tagLength),
        [
            new NfPortMapping(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.0.0.2")),
            new NfPortMapping(53, 53, ProtocolType.Udp, IPAddress.Parse("fd00::2"), IPAddress.Parse("fd00::1")),
            new NfPortMapping(54, 54, ProtocolType.Udp, IPAddress.Parse("fd00::2"), IPAddress.Parse("10.0.0.1")),
        ]);
        Assert.Equal(
        [
            (NfFamily.Ip, "prerouting"), (NfFamily.Ip, "output"), (NfFamily.Ip, "postrouting"),
            (NfFamily.Ip6, "prerouting"), (NfFamily.Ip6, "output"), (NfFamily.Ip6, "postrouting"),
        ], NfBatchInspector.NewRules(batch.Finish()));

        batch = new NfBatchWriter(buffer);
        AzureCniRules.WriteBridgeContainer(ref batch, tag.AsSpan(0, tagLength), "eth0", [2, 0, 0, 0, 0, 1],
            [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::2")]);
        Assert.Equal(
            [(NfFamily.Bridge, "prerouting"), (NfFamily.Bridge, "prerouting"), (NfFamily.Bridge, "postrouting"), (NfFamily.Bridge, "postrouting")],
            NfBatchInspector.NewRules(batch.Finish()));

        batch = new NfBatchWriter(buffer);
        AzureCniRules.WriteBridgeNode(ref batch, tag.AsSpan(0, tagLength), "eth0", [2, 0, 0, 0, 0, 1]);
        Assert.Equal(
            [
                (NfFamily.Bridge, "postrouting"), (NfFamily.Bridge, "postrouting"), (NfFamily.Bridge, "prerouting"),
                (NfFamily.Bridge, "postrouting"), (NfFamily.Bridge, "postrouting"),
            ],
            NfBatchInspector.NewRules(batch.Finish()));
        batch = new NfBatchWriter(buffer);
        AzureCniRules.WriteViaHost(ref batch, tag.AsSpan(0, tagLength), IPAddress.Parse("169.254.20.10"), [2, 0, 0, 0, 0, 1]);
        Assert.Equal([(NfFamily.Bridge, "broute")], NfBatchInspector.NewRules(batch.Finish()));
    }

    [Fact]
    public void RuleSetsRejectBadInput()
    {
        byte[] buffer = new byte[8192];
        Assert.Throws<ArgumentException>(() =>
        {
            var batch = new NfBatchWriter(buffer);
            AzureCniRules.WritePortMappings(ref batch, default, [new NfPortMapping(1, 1, ProtocolType.Icmp, IPAddress.Loopback)]);
        });
        Assert.Throws<ArgumentException>(() =>
        {
            var batch = new NfBatchWriter(buffer);
            AzureCniRules.WriteBridgeNode(ref batch, default, "an-interface-name-too-long", [2, 0, 0, 0, 0, 1]);
        });
        Assert.Throws<ArgumentException>(() =>
        {
            var batch = new NfBatchWriter(buffer);
            AzureCniRules.WriteBridgeNode(ref batch, default, "eth0", [2, 0, 0]);
        });
        Assert.Throws<ArgumentException>(() =>
        {
            var batch = new NfBatchWriter(buffer);
            AzureCniRules.WriteViaHost(ref batch, default, IPAddress.Parse("fd00::10"), [2, 0, 0, 0, 0, 1]);
        });
    }
}
