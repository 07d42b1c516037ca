using AzureCni.Netlink;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Netlink;

/// <summary>Encoding the largest request the data path sends: RTM_NEWLINK for a veth pair with the peer in another namespace.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Netlink")]
public class Perf_LinkRequestEncoding
{
    private readonly byte[] _buffer = new byte[RouteNetlink.RequestBufferSize];
    private readonly byte[] _mac = [2, 0, 0, 0, 0, 1];
    private readonly byte[] _peerMac = [2, 0, 0, 0, 0, 2];

    [Benchmark]
    public int EncodeNewLinkVeth()
    {
        var writer = new NetlinkWriter(_buffer);
        LinkRequests.AddVeth(ref writer, "azv1234567"u8, _mac, new VethPeerAttributes { Name = "eth0"u8, Address = _peerMac, NetNsFd = 7 }, mtu: 1500);
        return writer.Length;
    }
}
