using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux.Rules;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests.NfTables;

/// <summary>Batch commits, dumps and the tag-based rule-set operations over a fake nf_tables.</summary>
public sealed class NfTablesClientTests
{
    private static (byte[] Batch, int Count) TwoRules()
    {
        byte[] buffer = new byte[2048];
        var batch = new NfBatchWriter(buffer);
        batch.AddTable(NfFamily.Ip, "azure-cni"u8);
        batch.BeginRule(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, default);
        batch.Masquerade();
        batch.EndRule();
        batch.DeleteRule(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, 3);
        int count = batch.MessageCount;
        return (batch.Finish().ToArray(), count);
    }

    [Fact]
    public void CommitStampsConsecutiveSequencesAndReadsEveryAck()
    {
        var kernel = new FakeNfTablesKernel { MessagesPerDatagram = 1 };
        using var nft = new NfTablesClient(kernel);
        (byte[] batch, int count) = TwoRules();

        nft.Commit(batch, count);

        Assert.Equal(2, kernel.Requests.Count); // the batch, then the GETGEN end marker
        byte[] sent = kernel.Requests[0];
        var reader = new NetlinkMessageReader(sent);
        var sequences = new List<uint>();
        while (reader.MoveNext())
            sequences.Add(reader.Sequence);
        Assert.Equal(5, sequences.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => sequences[0] + (uint)i), sequences);
        Assert.Equal(sequences[^1] + 1, BinaryPrimitives.ReadUInt32LittleEndian(kernel.Requests[1].AsSpan(8)));
        Assert.Equal(0, kernel.PendingDatagrams);
    }

    [Fact]
    public void CommitThrowsTheFirstErrorWithItsExtendedAckAfterReadingEveryAnswer()
    {
        var kernel = new FakeNfTablesKernel
        {
            MessagesPerDatagram = 2,
            Fail = (index, type) => index is 2 or 3 ? ERRNO.ENOENT : 0, // the NEWRULE and the DELRULE fail
        };
        using var nft = new NfTablesClient(kernel);
        (byte[] batch, int count) = TwoRules();

        NetlinkException e = Assert.ThrowsAny<NetlinkException>(() => nft.Commit(batch, count));

        Assert.Equal(ERRNO.ENOENT, e.Errno);
        Assert.Equal("Could not process rule", e.ExtendedAck);
        Assert.Contains("NEWRULE (batch message 2)", e.Message);
        Assert.True(e.IsNotFound);
        Assert.Equal(0, kernel.PendingDatagrams); // nothing left to confuse the next request
    }

    [Fact]
    public void MissingAnswersFailTheCommitInsteadOfHanging()
    {
        var kernel = new FakeNfTablesKernel { SilentAbort = true };
        using var nft = new NfTablesClient(kernel);
        (byte[] batch, int count) = TwoRules();

        NetlinkException e = Assert.ThrowsAny<NetlinkException>(() => nft.Commit(batch, count));
        Assert.Contains("answered 0 of 3 messages", e.Message);
    }

    [Fact]
    public void AnErrorOnTheBatchHeaderEndsTheCommitAtOnce()
    {
        var kernel = new FakeNfTablesKernel { Fail = (index, _) => index == 0 ? ERRNO.EPERM : 0 };
        using var nft = new NfTablesClient(kernel);
        (byte[] batch, int count) = TwoRules();

        NetlinkException e = Assert.ThrowsAny<NetlinkException>(() => nft.Commit(batch, count));
        Assert.Equal(ERRNO.EPERM, e.Errno);
        Assert.Contains("BATCH_BEGIN", e.Message);
    }

    [Fact]
    public void ListRulesDumpsEachFamilyAndReadsTags()
    {
        var kernel = new FakeNfTablesKernel();
        kernel.Rules.Add((NfFamily.Bridge, "azure-cni", "postrouting", 4, "azcni:node:eth0"));
        kernel.Rules.Add((NfFamily.Ip, "azure-cni", "prerouting", 9, "azcni:c1:eth0"));
        kernel.Rules.Add((NfFamily.Ip6, "azure-cni", "output", 5, null));
        kernel.Rules.Add((NfFamily.Ip, "other", "prerouting", 2, "azcni:c1:eth0"));
        using var nft = new NfTablesClient(kernel);

        List<NfRule> rules = nft.ListRules("azure-cni", NfFamily.Bridge, NfFamily.Ip, NfFamily.Ip6);

        Assert.Equal(
        [
            new NfRule(NfFamily.Bridge, "azure-cni", "postrouting", 4, "azcni:node:eth0"),
            new NfRule(NfFamily.Ip, "azure-cni", "prerouting", 9, "azcni:c1:eth0"),
            new NfRule(NfFamily.Ip6, "azure-cni", "output", 5, null),
        ], rules);
        Assert.Equal(3, kernel.Requests.Count);
        Assert.Equal(["azcni:c1:eth0", "azcni:node:eth0"], AzureCniRules.ListTags(nft));
    }

    [Fact]
    public void DeleteByTagDeletesExactlyThoseHandlesInOneBatch()
    {
        var kernel = new FakeNfTablesKernel();
        kernel.Rules.Add((NfFamily.Bridge, "azure-cni", "prerouting", 4, "azcni:c1:eth0"));
        kernel.Rules.Add((NfFamily.Bridge, "azure-cni", "prerouting", 5, "azcni:c2:eth0"));
        kernel.Rules.Add((NfFamily.Ip, "azure-cni", "postrouting", 7, "azcni:c1:eth0"));
        using var nft = new NfTablesClient(kernel);

        Assert.Equal(2, AzureCniRules.Delete(nft, "azcni:c1:eth0"));

        byte[] batch = kernel.Requests[^3]; // the dump of ip azure-cni-tunnel comes after it
        var deleted = new List<(byte, ulong)>();
        var reader = new NetlinkMessageReader(batch);
        while (reader.MoveNext())
        {
            if (reader.MessageType != NFNL.MessageType(NFT_MSG.NFT_MSG_DELRULE))
                continue;
            Assert.True(NftRuleMessage.TryRead(reader.Payload, out NftRuleMessage message, out _));
            deleted.Add((message.Header.nfgen_family, message.Attributes.Handle!.Value));
        }
        Assert.Equal([((byte)NfFamily.Bridge, 4UL), ((byte)NfFamily.Ip, 7UL)], deleted);
    }

    [Fact]
    public void DeleteOfAnUnknownTagSendsNoBatch()
    {
        var kernel = new FakeNfTablesKernel();
        using var nft = new NfTablesClient(kernel);
        Assert.Equal(0, AzureCniRules.Delete(nft, "azcni:gone:eth0"));
        Assert.Equal(4, kernel.Requests.Count); // the dumps only: azure-cni's three families, ip azure-cni-tunnel
    }

    [Fact]
    public void ApplyReplacesTheTagsOldRulesInTheSameTransaction()
    {
        var kernel = new FakeNfTablesKernel();
        kernel.Rules.Add((NfFamily.Ip, "azure-cni", "prerouting", 11, "azcni:c1:eth0"));
        kernel.Rules.Add((NfFamily.Bridge, "azure-cni", "prerouting", 12, "azcni:c1:eth0")); // other family: kept
        using var nft = new NfTablesClient(kernel);

        AzureCniRules.ApplyPortMappings(nft, "azcni:c1:eth0", [new NfPortMapping(80, 8080, ProtocolType.Tcp, IPAddress.Parse("10.0.0.2"))]);

        var types = new List<ushort>();
        var reader = new NetlinkMessageReader(kernel.Requests[^2]);
        while (reader.MoveNext())
            types.Add((ushort)(reader.MessageType & 0xff));
        Assert.Equal(
        [
            NFNL.NFNL_MSG_BATCH_BEGIN & 0xff, NFT_MSG.NFT_MSG_DELRULE,
            NFT_MSG.NFT_MSG_NEWTABLE, NFT_MSG.NFT_MSG_NEWCHAIN, NFT_MSG.NFT_MSG_NEWCHAIN, NFT_MSG.NFT_MSG_NEWCHAIN,
            NFT_MSG.NFT_MSG_NEWRULE, NFT_MSG.NFT_MSG_NEWRULE, NFT_MSG.NFT_MSG_NEWRULE, NFNL.NFNL_MSG_BATCH_END & 0xff,
        ], types);
    }

    [Fact]
    public void StampSequencesRejectsAMalformedBatch()
    {
        byte[] batch = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(batch, 4);
        uint sequence = 0;
        Assert.Throws<InvalidOperationException>(() => NfTablesClient.StampSequences(batch, ref sequence));
    }
}
