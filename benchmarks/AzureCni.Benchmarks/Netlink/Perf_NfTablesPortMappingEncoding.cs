using System.Net;
using System.Net.Sockets;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.Linux.Rules;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Netlink;

/// <summary>
/// Encoding the nf_tables transaction of a pod with two port mappings (TCP and UDP, IPv4): table, three base chains
/// and six rules between batch begin and end. Expected: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Netlink")]
public class Perf_NfTablesPortMappingEncoding
{
    private readonly byte[] _buffer = new byte[8192];
    private readonly byte[] _tag = new byte[160];
    private int _tagLength;

    private readonly NfPortMapping[] _mappings =
    [
        new(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.240.0.37")),
        new(5353, 53, ProtocolType.Udp, IPAddress.Parse("10.240.0.37"), IPAddress.Parse("10.240.0.4")),
    ];

    [GlobalSetup]
    public void Setup() =>
        _tagLength = NfRuleTag.Write(RuleTag.Attachment("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "eth0"), _tag);

    [Benchmark]
    public int EncodePortMappingBatch()
    {
        var batch = new NfBatchWriter(_buffer);
        AzureCniRules.WritePortMappings(ref batch, _tag.AsSpan(0, _tagLength), _mappings);
        return batch.Finish().Length;
    }
}
