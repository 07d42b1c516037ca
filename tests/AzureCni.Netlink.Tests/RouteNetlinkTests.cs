using System.Buffers.Binary;
using System.Net.NetworkInformation;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Tests;

/// <summary>The public handle over a fake kernel: dump retries, sequence numbers, missing-object semantics.</summary>
public sealed class RouteNetlinkTests
{
    private static byte[][] Dump(bool interrupted, params string[] names)
    {
        ushort flags = (ushort)(NLM_F.NLM_F_MULTI | (interrupted ? NLM_F.NLM_F_DUMP_INTR : 0));
        return
        [
            KernelReplies.Datagram((ref w) =>
            {
                for (int i = 0; i < names.Length; i++)
                    KernelReplies.WriteLink(ref w, i + 1, names[i], [2, 0, 0, 0, 0, (byte)i], 1500, null, null, flags);
            }),
            KernelReplies.Datagram((ref w) => KernelReplies.WriteDone(ref w, 0, flags)),
        ];
    }

    private static byte[][] Error(int errno, string? text = null) =>
        [KernelReplies.Datagram((ref w) => KernelReplies.WriteError(ref w, -errno, text))];

    [Fact]
    public void ListLinks_InterruptedDump_IsRunAgain()
    {
        var kernel = new FakeKernel(_ => Dump(true, "lo", "stale"), _ => Dump(false, "lo", "eth0", "br0"));
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        IReadOnlyList<LinkInfo> links = netlink.ListLinks();

        Assert.Equal(["lo", "eth0", "br0"], links.Select(l => l.Name));
        Assert.Equal(2, kernel.Requests.Count);
        Assert.NotEqual(Sequence(kernel.Requests[0]), Sequence(kernel.Requests[1]));
    }

    [Fact]
    public void ListLinks_InterruptedEveryTime_GivesUpAfterFiveAttempts()
    {
        var kernel = new FakeKernel(Enumerable.Repeat<Func<byte[], byte[][]>>(_ => Dump(true, "lo"), NetlinkClient.MaxDumpAttempts).ToArray());
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        var e = Assert.Throws<NetlinkDumpInterruptedException>(() => netlink.ListLinks());

        Assert.Equal(4, e.Errno); // EINTR
        Assert.Equal(NetlinkClient.MaxDumpAttempts, kernel.Requests.Count);
    }

    [Fact]
    public void StaleReplyOfAnEarlierRequest_IsIgnored()
    {
        // The kernel still had an answer queued for an abandoned request (another sequence number).
        byte[] stale = KernelReplies.Datagram((ref w) => KernelReplies.WriteError(ref w, -17, "stale"));
        BinaryPrimitives.WriteUInt32LittleEndian(stale.AsSpan(8), 1);
        var kernel = new FakeKernel(_ => [stale, .. Error(0)]);
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        netlink.SetLinkUp(3);

        byte[] request = Assert.Single(kernel.Requests);
        Assert.Equal(RTM.RTM_SETLINK, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)));
    }

    [Fact]
    public void MissingLink_TryGetIsFalse_DeleteMissingOkIsFalse_DeleteStrictThrows()
    {
        var kernel = new FakeKernel(_ => Error(19), _ => Error(19), _ => Error(19, "Cannot find device"));
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        Assert.False(netlink.TryGetLink("nope", out LinkInfo? link));
        Assert.Null(link);
        Assert.False(netlink.DeleteLink("nope", missingOk: true));
        var e = Assert.Throws<NetlinkException>(() => netlink.DeleteLink("nope"));
        Assert.True(e.IsNotFound);
        Assert.Equal("Cannot find device", e.ExtendedAck);
        Assert.Contains("delete link 'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetLink_ReplyThenAck_ReturnsTheLink()
    {
        var kernel = new FakeKernel(_ =>
        [
            KernelReplies.Datagram((ref w) => KernelReplies.WriteLink(ref w, 5, "eth0", [2, 0, 0, 0, 0, 5], 1450, 2, "veth", 0)),
            .. Error(0),
        ]);
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        LinkInfo link = netlink.GetLink("eth0");

        Assert.Equal(new LinkInfo { Index = 5, Name = "eth0", MacAddress = PhysicalAddress.Parse("02-00-00-00-00-05"), Mtu = 1450, MasterIndex = 2, Kind = "veth", OperState = LinkOperState.Up, Flags = 0x1043 }, link);
    }

    [Fact]
    public void AddVethPair_SendsTheGoldenRequest_WithASequenceNumber()
    {
        var kernel = new FakeKernel(_ => Error(0));
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        netlink.AddVethPair("veth0", "eth0", macAddress: PhysicalAddress.Parse("02-00-00-00-00-01"), peerMacAddress: PhysicalAddress.Parse("02-00-00-00-00-02"), mtu: 1500);

        byte[] request = Assert.Single(kernel.Requests);
        byte[] expected = Encode.With((ref w) => Requests.LinkRequests.AddVeth(ref w, "veth0"u8, [2, 0, 0, 0, 0, 1], new VethPeerAttributes { Name = "eth0"u8, Address = [2, 0, 0, 0, 0, 2] }, 1500));
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(8), Sequence(request));
        Assert.Equal(Hex.Format(expected), Hex.Format(request));
        Assert.NotEqual(0u, Sequence(request));
    }

    [Fact]
    public void KernelRefusal_SurfacesErrnoAndExtendedAck()
    {
        var kernel = new FakeKernel(_ => Error(95, "Unknown device type"));
        using var netlink = new RouteNetlink(new NetlinkClient(kernel));

        var e = Assert.Throws<NetlinkException>(() => netlink.AddDummy("dummy0"));

        Assert.Equal(95, e.Errno);
        Assert.Equal("Unknown device type", e.ExtendedAck);
        Assert.Equal("add dummy link 'dummy0': Operation not supported (errno 95): Unknown device type", e.Message);
    }

    private static uint Sequence(byte[] request) => BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8));
}
