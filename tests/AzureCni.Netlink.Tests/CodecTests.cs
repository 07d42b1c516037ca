using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests;

/// <summary>The span codec: alignment, writer hygiene, validated readers, generated round-trips.</summary>
public sealed class CodecTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(7, 8)]
    public void Align_MatchesKernelMacros(int length, int aligned)
    {
        Assert.Equal(aligned, NetlinkAlign.Message(length));
        Assert.Equal(aligned, NetlinkAlign.Attribute(length));
    }

    [Fact]
    public void GeneratedStructSizes_MatchKernelSizeof()
    {
        Assert.Equal(16, nlmsghdr.Size);
        Assert.Equal(20, nlmsgerr.Size);
        Assert.Equal(1, rtgenmsg.Size);
        Assert.Equal(16, ifinfomsg.Size);
        Assert.Equal(8, ifaddrmsg.Size);
        Assert.Equal(12, rtmsg.Size);
        Assert.Equal(12, ndmsg.Size);
        Assert.Equal(16, ifa_cacheinfo.Size);
    }

    [Fact]
    public void Writer_ZeroesPaddingOverStaleBytes()
    {
        Span<byte> buffer = stackalloc byte[64];
        buffer.Fill(0xEE);
        var writer = new NetlinkWriter(buffer);
        writer.WriteAttribute(1, (byte)7);
        writer.WriteStringAttribute(2, "ab");

        Assert.Equal(Hex.Parse("0500 0100 07 000000  0700 0200 616200 00"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writer_NestedScopes_PatchLengths()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        using (writer.BeginNested(1))
        {
            writer.WriteAttribute(2, 9u);
            using (writer.BeginNested(3))
                writer.WriteFlagAttribute(4);
        }

        Assert.Equal(Hex.Parse("1400 0100  0800 0200 09000000  0800 0300 0400 0400"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writer_Overflow_Throws()
    {
        byte[] buffer = new byte[20];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.BeginMessage(RTM.RTM_NEWLINK, 0);
            writer.WriteAttribute(1, 1u);
        });
    }

    [Fact]
    public void AttributeReader_LastAttributeWithoutPadding_IsAccepted()
    {
        var reader = new NetlinkAttributeReader(Hex.Parse("0500 0100 07"));
        Assert.True(reader.MoveNext());
        Assert.Equal(1, reader.Type);
        Assert.Equal([7], reader.Payload.ToArray());
        Assert.False(reader.MoveNext());
        Assert.Equal(NetlinkDecodeError.None, reader.Error);
    }

    [Theory]
    [InlineData("0800", NetlinkDecodeError.Truncated)]                        // half a header
    [InlineData("0800 0100 01000000 0300", NetlinkDecodeError.Truncated)]     // trailing bytes shorter than a header
    [InlineData("0200 0100", NetlinkDecodeError.BadLength)]                   // nla_len below the header
    [InlineData("0c00 0100 01000000", NetlinkDecodeError.BadLength)]          // nla_len past the end (oversized)
    [InlineData("0500 0100 07 0000", NetlinkDecodeError.Misaligned)]         // padding runs past the container
    public void AttributeReader_Malformed_StopsWithError(string hex, NetlinkDecodeError expected)
    {
        var reader = new NetlinkAttributeReader(Hex.Parse(hex));
        while (reader.MoveNext())
        {
        }
        Assert.Equal(expected, reader.Error);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void AttributeReader_MasksNestedAndByteOrderFlags()
    {
        var reader = new NetlinkAttributeReader(Hex.Parse("0400 0cc0"));
        Assert.True(reader.MoveNext());
        Assert.Equal(12, reader.Type);
        Assert.Equal(0xC000, reader.TypeFlags);
    }

    [Theory]
    [InlineData("0800", NetlinkDecodeError.Truncated)]
    [InlineData("0f000000 1000 0000 00000000 00000000", NetlinkDecodeError.BadLength)]
    [InlineData("20000000 1000 0000 00000000 00000000", NetlinkDecodeError.BadLength)]
    [InlineData("11000000 1000 0000 00000000 00000000 01 0000", NetlinkDecodeError.Misaligned)]
    public void MessageReader_Malformed_StopsWithError(string hex, NetlinkDecodeError expected)
    {
        var reader = new NetlinkMessageReader(Hex.Parse(hex));
        Assert.False(reader.MoveNext());
        Assert.Equal(expected, reader.Error);
    }

    [Fact]
    public void GeneratedSet_WrongSizedInteger_IsBadAttributeLength()
    {
        // IFLA_MTU must be a u32; two bytes is malformed, not a short read.
        Assert.False(LinkAttributes.TryRead(Hex.Parse("0600 0400 dc05 0000"), out _, out NetlinkDecodeError error));
        Assert.Equal(NetlinkDecodeError.BadAttributeLength, error);
    }

    [Fact]
    public void GeneratedSet_UnknownAttributes_AreSkipped_AndNestedErrorsPropagate()
    {
        Assert.True(LinkAttributes.TryRead(Hex.Parse("0800 ff00 01020304  0800 0400 dc050000"), out LinkAttributes ok, out _));
        Assert.Equal(1500u, ok.Mtu);

        // IFLA_LINKINFO holding a truncated nested attribute.
        Assert.False(LinkAttributes.TryRead(Hex.Parse("0800 1200 0900 0100"), out _, out NetlinkDecodeError error));
        Assert.Equal(NetlinkDecodeError.BadLength, error);
    }

    [Fact]
    public void GeneratedStruct_ShortInput_IsRejected()
    {
        Assert.False(ifinfomsg.TryRead(new byte[15], out _));
        Assert.False(LinkMessage.TryRead(new byte[8], out _, out NetlinkDecodeError error));
        Assert.Equal(NetlinkDecodeError.Truncated, error);
    }

    [Fact]
    public void LinkMessage_RoundTrips()
    {
        byte[] encoded = Encode.With((ref w) =>
        {
            scoped var message = new LinkMessage { Header = new ifinfomsg { ifi_family = AF.AF_BRIDGE, ifi_index = 42, ifi_flags = 1, ifi_change = 1 } };
            message.Attributes.Name = "eth0"u8;
            message.Attributes.Address = [2, 0, 0, 0, 0, 1];
            message.Attributes.Mtu = 9000;
            message.Attributes.Master = 3;
            message.Attributes.OperState = 6;
            message.Attributes.LinkNetNsId = -1;
            // The kind is left empty: the generated writer names it after the kind-specific data present.
            message.Attributes.LinkInfo.Vxlan.Id = 42;
            message.Attributes.LinkInfo.Vxlan.Port = 4789;
            message.Attributes.BridgePort.Hairpin = 1;
            message.Attributes.BridgePort.Cost = 100;
            LinkMessage.Write(message, ref w);
        });

        Assert.True(LinkMessage.TryRead(encoded, out LinkMessage decoded, out NetlinkDecodeError error), error.ToString());
        Assert.Equal(AF.AF_BRIDGE, decoded.Header.ifi_family);
        Assert.Equal(42, decoded.Header.ifi_index);
        Assert.Equal("eth0"u8.ToArray(), decoded.Attributes.Name.ToArray());
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 1 }, decoded.Attributes.Address.ToArray());
        Assert.Equal(9000u, decoded.Attributes.Mtu);
        Assert.Equal(3, decoded.Attributes.Master);
        Assert.Equal((byte)6, decoded.Attributes.OperState);
        Assert.Equal(-1, decoded.Attributes.LinkNetNsId);
        Assert.Equal("vxlan"u8.ToArray(), decoded.Attributes.LinkInfo.Kind.ToArray());
        Assert.Equal(42u, decoded.Attributes.LinkInfo.Vxlan.Id);
        Assert.Equal((ushort)4789, decoded.Attributes.LinkInfo.Vxlan.Port);
        Assert.True(decoded.Attributes.LinkInfo.Vlan.IsEmpty);
        Assert.Equal((byte)1, decoded.Attributes.BridgePort.Hairpin);
        Assert.Equal(100u, decoded.Attributes.BridgePort.Cost);
        Assert.Null(decoded.Attributes.TxQueueLength);
        Assert.True(decoded.Attributes.LinkInfo.SlaveKind.IsEmpty);
    }

    [Fact]
    public void AddressRouteNeighbor_RoundTripThroughPublicRecords()
    {
        byte[] address = Encode.With((ref w) => Requests.AddressRequests.Modify(ref w, RTM.RTM_NEWADDR, 0, new(5, IPAddress.Parse("fd00::1"), 64, RouteScope.Link, false)));
        AddressInfo a = ReplyDecoder.DecodeAddress(address.AsSpan(16));
        Assert.Equal(new AddressInfo(5, IPAddress.Parse("fd00::1"), 64, RouteScope.Link, null), a);

        var route = new RouteEntry
        {
            Destination = IPAddress.Parse("10.0.0.0"),
            DestinationPrefixLength = 8,
            Gateway = IPAddress.Parse("10.255.255.1"),
            OutputInterfaceIndex = 2,
            PreferredSource = IPAddress.Parse("10.1.1.1"),
            Scope = RouteScope.Universe,
            Table = 300,
            Protocol = RouteProtocol.Static,
            Metric = 9,
        };
        byte[] routeBytes = Encode.With((ref w) => Requests.RouteRequests.Modify(ref w, RTM.RTM_NEWROUTE, 0, route));
        Assert.Equal(route, ReplyDecoder.DecodeRoute(routeBytes.AsSpan(16)));

        var rule = new FibRule { FwMark = 3, FwMask = 0xff, Priority = 32765, Table = 1000 };
        byte[] ruleBytes = Encode.With((ref w) => Requests.RuleRequests.Modify(ref w, RTM.RTM_NEWRULE, 0, rule));
        Assert.Equal(rule, ReplyDecoder.DecodeRule(ruleBytes.AsSpan(16)));

        byte[] neighbor = Encode.With((ref w) => Requests.NeighborRequests.Modify(ref w, RTM.RTM_NEWNEIGH, 0, new(4, IPAddress.Parse("10.0.0.9"), [2, 0, 0, 0, 0, 9], NeighborState.Permanent)));
        Assert.Equal(new NeighborEntry(4, IPAddress.Parse("10.0.0.9"), PhysicalAddress.Parse("02-00-00-00-00-09"), NeighborState.Permanent),
            ReplyDecoder.DecodeNeighbor(neighbor.AsSpan(16)));
    }

    [Fact]
    public void DecodeLink_MapsEveryField()
    {
        byte[] datagram = KernelReplies.Datagram((ref w) => KernelReplies.WriteLink(ref w, 7, "azv1", [2, 1, 2, 3, 4, 5], 1400, 3, "veth"));
        LinkInfo link = ReplyDecoder.DecodeLink(datagram.AsSpan(16));

        Assert.Equal(new LinkInfo { Index = 7, Name = "azv1", MacAddress = PhysicalAddress.Parse("02-01-02-03-04-05"), Mtu = 1400, MasterIndex = 3, Kind = "veth", OperState = LinkOperState.Up, Flags = 0x1043 }, link);
        Assert.True(link.IsUp);
    }

    [Fact]
    public void DecodeAddress_WithBadAddressLength_IsDecodeError()
    {
        byte[] payload = Hex.Parse("02 18 00 00 03000000  0700 0200 0a0102");
        Assert.Equal(NetlinkDecodeError.BadAttributeLength, Assert.Throws<NetlinkDecodeException>(() => ReplyDecoder.DecodeAddress(payload)).Error);
    }

    [Fact]
    public void InterfaceNames_AreValidatedBeforeSending()
    {
        Span<byte> buffer = stackalloc byte[16];
        Assert.Equal("eth0"u8.ToArray(), IfName.Encode("eth0", buffer).ToArray());
        Assert.Throws<ArgumentException>(() => IfName.Validate(""));
        Assert.Throws<ArgumentException>(() => IfName.Validate("a-name-too-long!"));
        Assert.Throws<ArgumentException>(() => IfName.Validate("a/b"));
        Assert.Throws<ArgumentException>(() => IfName.Validate("a b"));
    }
}
