using System.Net;
using System.Net.Sockets;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Netlink.Tests.NfTables;

/// <summary>Encoding a rule-set transaction allocates nothing (the benchmark Perf_NfTablesPortMappingEncoding measures the time).</summary>
public sealed class NfTablesAllocationTests
{
    private static readonly NfPortMapping[] Mappings =
    [
        new(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.240.0.37")),
        new(5353, 53, ProtocolType.Udp, IPAddress.Parse("fd00::37"), IPAddress.Parse("fd00::4")),
    ];

    private static readonly IPAddress[] Addresses = [IPAddress.Parse("10.240.0.37")];

    private static int Encode(byte[] buffer, byte[] tag, int tagLength)
    {
        var batch = new NfBatchWriter(buffer);
        AzureCniRules.WritePortMappings(ref batch, tag.AsSpan(0, tagLength), Mappings);
        AzureCniRules.WriteBridgeContainer(ref batch, tag.AsSpan(0, tagLength), "eth0", [2, 0, 0, 0, 0, 1], Addresses);
        AzureCniRules.WriteBridgeNode(ref batch, tag.AsSpan(0, tagLength), "eth0", [2, 0, 0, 0, 0, 1]);
        return batch.Finish().Length;
    }

    [Fact]
    public void EncodingRuleSets_AllocatesNothing()
    {
        byte[] buffer = new byte[16384];
        byte[] tag = new byte[160];
        int tagLength = NfRuleTag.Write("azcni:c1:eth0", tag);
        Encode(buffer, tag, tagLength); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        int length = Encode(buffer, tag, tagLength);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(length > 1000);
        Assert.Equal(0, allocated);
    }
}
