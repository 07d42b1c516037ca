using AzureCni.Netlink.Generation;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests;

// A made-up tunnel family declared only here: this project consumes the netlink generator as an analyzer,
// exactly as src/Netlink/README.md tells a developer to extend the library.
#pragma warning disable IDE1006, CS8981 // kernel spelling

/// <summary>The fixed header of the made-up family (C layout: u8, 3 pad, u32, u16, 2 tail pad = 12 bytes).</summary>
[NetlinkStruct]
internal partial struct tunnelmsg
{
    public byte tun_family;
    public uint tun_key;
    public ushort tun_port;
}

internal enum TUNNEL_ATTR : ushort
{
    TUNNEL_ATTR_NAME = 1,
    TUNNEL_ATTR_REMOTE = 2,
    TUNNEL_ATTR_TTL = 3,
    TUNNEL_ATTR_DSTPORT = 4,
    TUNNEL_ATTR_CSUM = 5,
    TUNNEL_ATTR_OPTS = 6,
    TUNNEL_ATTR_CACHE = 7,
}

internal enum TUNNEL_OPT : ushort
{
    TUNNEL_OPT_FLOWLABEL = 1,
}

/// <summary>Attributes of the made-up family, one of each supported field kind.</summary>
[NetlinkAttributeSet]
internal ref partial struct TunnelAttributes
{
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_REMOTE)] public ReadOnlySpan<byte> Remote;
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_TTL)] public byte? Ttl;
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_DSTPORT, Encoding = NetlinkEncoding.BigEndian)] public ushort? DestinationPort;
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_CSUM)] public bool Checksum;
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_OPTS, Encoding = NetlinkEncoding.NestedWithFlag)] public TunnelOptions Options;
    [NetlinkAttribute(TUNNEL_ATTR.TUNNEL_ATTR_CACHE)] public Interop.Kernel.ifa_cacheinfo? Cache;
}

[NetlinkAttributeSet]
internal partial struct TunnelOptions
{
    [NetlinkAttribute(TUNNEL_OPT.TUNNEL_OPT_FLOWLABEL)] public uint? FlowLabel;
}

/// <summary>A message of the made-up family: header plus attributes.</summary>
[NetlinkMessage(typeof(tunnelmsg), typeof(TunnelAttributes))]
internal ref partial struct TunnelMessage;

#pragma warning restore IDE1006, CS8981

/// <summary>A developer's extension, declared in this project only, works end to end.</summary>
public sealed class ExtensionTests
{
    [Fact]
    public void TestDeclaredStruct_GetsCLayout()
    {
        Assert.Equal(12, tunnelmsg.Size);
        byte[] bytes = new byte[12];
        bytes.AsSpan().Fill(0xEE);
        new tunnelmsg { tun_family = 2, tun_key = 0x01020304, tun_port = 0x0506 }.Write(bytes);
        Assert.Equal(Hex.Parse("02 000000 04030201 0605 0000"), bytes);
    }

    [Fact]
    public void TestDeclaredMessage_EncodesToExpectedBytes_AndRoundTrips()
    {
        byte[] encoded = Encode.With((ref w) =>
        {
            w.BeginMessage(0x7e, 0x0005);
            scoped var message = new TunnelMessage { Header = new tunnelmsg { tun_family = 2, tun_key = 7, tun_port = 9 } };
            message.Attributes.Name = "tun0"u8;
            message.Attributes.Remote = [192, 0, 2, 1];
            message.Attributes.Ttl = 64;
            message.Attributes.DestinationPort = 6081;
            message.Attributes.Checksum = true;
            message.Attributes.Options.FlowLabel = 0xABCDE;
            message.Attributes.Cache = new Interop.Kernel.ifa_cacheinfo { ifa_valid = 1 };
            TunnelMessage.Write(message, ref w);
            w.EndMessage();
        });

        Assert.Equal(Hex.Format(Hex.Parse("""
            64000000 7e00 0500 00000000 00000000     # nlmsghdr len=100
            02 000000 07000000 0900 0000              # tunnelmsg
            0900 0100 74756e3000 000000               # NAME "tun0\0"
            0800 0200 c0000201                        # REMOTE 192.0.2.1
            0500 0300 40 000000                       # TTL 64
            0600 0400 17c1 0000                       # DSTPORT 6081 big-endian
            0400 0500                                 # CSUM flag
            0c00 0680                                 # OPTS | NLA_F_NESTED
              0800 0100 debc0a00                      #   FLOWLABEL
            1400 0700 00000000 01000000 00000000 00000000   # CACHE ifa_cacheinfo
            """)), Hex.Format(encoded));

        Assert.True(TunnelMessage.TryRead(encoded.AsSpan(16), out TunnelMessage decoded, out NetlinkDecodeError error), error.ToString());
        Assert.Equal(7u, decoded.Header.tun_key);
        Assert.Equal("tun0"u8.ToArray(), decoded.Attributes.Name.ToArray());
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, decoded.Attributes.Remote.ToArray());
        Assert.Equal((byte)64, decoded.Attributes.Ttl);
        Assert.Equal((ushort)6081, decoded.Attributes.DestinationPort);
        Assert.True(decoded.Attributes.Checksum);
        Assert.Equal(0xABCDEu, decoded.Attributes.Options.FlowLabel);
        Assert.Equal(1u, decoded.Attributes.Cache?.ifa_valid);
    }

    [Fact]
    public void TestDeclaredSet_FlagWithPayload_IsMalformed()
    {
        Assert.False(TunnelAttributes.TryRead(Hex.Parse("0500 0500 01 000000"), out _, out NetlinkDecodeError error));
        Assert.Equal(NetlinkDecodeError.BadAttributeLength, error);
    }

    [Fact]
    public void EmptySet_WritesNothing()
    {
        TunnelAttributes empty = default;
        Assert.True(empty.IsEmpty);
        Assert.Empty(Encode.With((ref w) => TunnelAttributes.Write(default, ref w)));
    }
}
