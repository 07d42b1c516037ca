namespace AzureCni.Generators.Tests.Netlink;

/// <summary>Declarations that use every shape the netlink generator accepts.</summary>
internal static class NetlinkSamples
{
    public const string Valid = """
        using System;
        using AzureCni.Netlink.Generation;

        namespace Sample;

        [NetlinkStruct]
        internal partial struct samplemsg { public byte family; public uint key; public ushort port; }

        internal enum SAMPLE : ushort { NAME = 1, KEY = 2, PORT = 3, ON = 4, INNER = 5, HDR = 6, INFO = 7 }

        [NetlinkAttributeSet]
        internal partial struct Inner { [NetlinkAttribute(1)] public long? Value; }

        [NetlinkAttributeSet]
        internal ref partial struct SampleAttributes
        {
            [NetlinkAttribute(SAMPLE.NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
            [NetlinkAttribute(SAMPLE.KEY)] public uint? Key;
            [NetlinkAttribute(SAMPLE.PORT, Encoding = NetlinkEncoding.BigEndian)] public ushort? Port;
            [NetlinkAttribute(SAMPLE.ON)] public bool On;
            [NetlinkAttribute(SAMPLE.INNER, Encoding = NetlinkEncoding.NestedWithFlag)] public Inner Inner;
            [NetlinkAttribute(SAMPLE.HDR)] public samplemsg? Header;
            [NetlinkAttribute(SAMPLE.INFO)] public KindInfo Info;
        }

        [NetlinkAttributeSet]
        internal ref partial struct KindInfo
        {
            [NetlinkAttribute(1, Encoding = NetlinkEncoding.String, SelectsKind = true)] public ReadOnlySpan<byte> Kind;
            [NetlinkAttribute(2, ForKind = "inner")] public Inner InnerData;
            [NetlinkAttribute(2, ForKind = "peer")] public PeerData Peer;
        }

        [NetlinkAttributeSet]
        internal ref partial struct PeerData { [NetlinkAttribute(1)] public PeerMessage Message; }

        [NetlinkAttributeSet]
        internal ref partial struct PeerAttributes { [NetlinkAttribute(3, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name; }

        [NetlinkMessage(typeof(samplemsg), typeof(PeerAttributes))]
        internal ref partial struct PeerMessage;

        [NetlinkMessage(typeof(samplemsg), typeof(SampleAttributes))]
        internal ref partial struct SampleMessage;
        """;

    /// <summary>The hint names <see cref="Valid"/> generates, in ordinal order.</summary>
    public static readonly string[] HintNames =
    [
        "Sample.Inner.Netlink.g.cs", "Sample.KindInfo.Netlink.g.cs", "Sample.PeerAttributes.Netlink.g.cs", "Sample.PeerData.Netlink.g.cs",
        "Sample.PeerMessage.Netlink.g.cs", "Sample.SampleAttributes.Netlink.g.cs", "Sample.SampleMessage.Netlink.g.cs", "Sample.samplemsg.Netlink.g.cs",
    ];
}
