using System.Text;
using AzureCni.Cni.Types;
using AzureCni.Ipam;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Ipam;

/// <summary>
/// The in-process cost of the IPAM decision itself, on a node-sized pool (30 secondaries, as AKS
/// nodes get by default). Reserve+Release must allocate nothing; the CNI result is the only allocation
/// of an ADD beyond the state file I/O.
/// </summary>
[MemoryDiagnoser]
public class Perf_AddressAllocator
{
    private IpamState _state = null!;
    private byte[] _stateJson = null!;
    private byte[] _nmAgentXml = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = new IpamState();
        var pool = new AddressPool { Subnet = "10.240.0.0/16", IfName = "eth0", Gateway = "10.240.0.1", Priority = 1 };
        var xml = new StringBuilder("<Interfaces><Interface MacAddress=\"*\" IsPrimary=\"true\"><IPSubnet Prefix=\"10.240.0.0/16\"><IPAddress Address=\"10.240.0.4\" IsPrimary=\"true\"/>");
        for (int i = 5; i < 35; i++)
        {
            pool.Addresses.Add(new AddressRecord { Address = "10.240.0." + i });
            xml.Append("<IPAddress Address=\"10.240.0.").Append(i).Append("\" IsPrimary=\"false\"/>");
        }

        _nmAgentXml = Encoding.UTF8.GetBytes(xml.Append("</IPSubnet></Interface></Interfaces>").ToString());
        _state.Pools.Add(pool);

        // 29 of 30 in use: the worst case for the free-address scan.
        for (int i = 0; i < 29; i++)
        {
            AddressAllocator.Reserve(_state, "net", "container-" + i, "eth0");
        }

        _stateJson = IpamJson.WriteState(_state);
    }

    [Benchmark(Baseline = true)]
    public int ReserveRelease()
    {
        var (_, record) = AddressAllocator.Reserve(_state, "net", "bench-container", "eth0");
        int length = record.Address.Length;
        AddressAllocator.Release(_state, "net", "bench-container", "eth0");
        return length;
    }

    [Benchmark]
    public CniResult ReserveReleaseWithResult()
    {
        var (pool, record) = AddressAllocator.Reserve(_state, "net", "bench-container", "eth0");
        var result = AzureVnetIpamPlugin.ToResult(new IpamLease(
            System.Net.IPAddress.Parse(record.Address), pool.PrefixLength, pool.GatewayAddress, pool.Subnet, ["168.63.129.16"]));
        AddressAllocator.Release(_state, "net", "bench-container", "eth0");
        return result;
    }

    [Benchmark]
    public IpamState ReadStateFile() => IpamJson.ReadState(_stateJson);

    [Benchmark]
    public byte[] WriteStateFile() => IpamJson.WriteState(_state);

    [Benchmark]
    public SourceInterfaces ParseNmAgentXml() => NmAgentXml.Parse(_nmAgentXml);

    [Benchmark]
    public bool FindOwner() => AddressAllocator.Find(_state, "net", "container-28", "eth0") is not null;
}
