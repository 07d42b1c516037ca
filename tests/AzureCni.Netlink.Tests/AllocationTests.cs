using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink.Tests;

/// <summary>The codec allocates nothing: encoding a request and decoding a dump leave the allocation counter unchanged.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void EncodeVethRequest_AllocatesNothing()
    {
        byte[] buffer = new byte[RouteNetlink.RequestBufferSize];
        EncodeVeth(buffer); // warm up: JIT, static constructors
        long before = GC.GetAllocatedBytesForCurrentThread();
        int length = EncodeVeth(buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(144, length);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void DecodeFiftyLinkDump_AllocatesNothing()
    {
        byte[] dump = KernelReplies.Datagram((ref w) =>
        {
            for (int i = 1; i <= 50; i++)
                KernelReplies.WriteLink(ref w, i, "veth" + i, [2, 0, 0, 0, 0, (byte)i], 1500, i > 1 ? 1 : null, "veth");
            KernelReplies.WriteDone(ref w);
        });
        SumDump(dump);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = SumDump(dump);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50 * 51 / 2 + 50 * 1500, sum);
        Assert.Equal(0, allocated);
    }

    private static int EncodeVeth(Span<byte> buffer)
    {
        var writer = new NetlinkWriter(buffer);
        LinkRequests.AddVeth(ref writer, "veth0"u8, [2, 0, 0, 0, 0, 1], new VethPeerAttributes { Name = "eth0"u8, Address = [2, 0, 0, 0, 0, 2], NetNsFd = 7 }, 1500);
        return writer.Length;
    }

    private static long SumDump(ReadOnlySpan<byte> dump)
    {
        long sum = 0;
        var reader = new NetlinkMessageReader(dump);
        while (reader.MoveNext())
        {
            if (reader.MessageType == RTM.RTM_NEWLINK && LinkMessage.TryRead(reader.Payload, out LinkMessage link, out _))
                sum += link.Header.ifi_index + (link.Attributes.Mtu ?? 0);
        }
        return sum;
    }
}
