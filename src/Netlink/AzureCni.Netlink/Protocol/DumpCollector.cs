namespace AzureCni.Netlink.Protocol;

/// <summary>
/// What a dump feeds its messages to. Not generic, so <see cref="NetlinkClient.Dump(Span{byte}, NetlinkOperation, DumpSink)"/>
/// passes one pair of cached delegates for every element type: a lambda inside a generic method gets a static
/// cache per element type, and NativeAOT allocates each such static before <c>Main</c> of every call.
/// </summary>
internal abstract class DumpSink
{
    public abstract void Accept(ushort messageType, ReadOnlySpan<byte> payload);

    /// <summary>Forgets what was collected: the kernel interrupted the dump and it starts over.</summary>
    public abstract void Reset();
}

/// <summary>Decodes every message of one type of a dump into <see cref="Items"/>; other types are skipped.</summary>
internal sealed class DumpCollector<T>(ushort messageType, Func<ReadOnlySpan<byte>, T> decode) : DumpSink
{
    public List<T> Items { get; } = [];

    public override void Accept(ushort type, ReadOnlySpan<byte> payload)
    {
        if (type == messageType)
            Items.Add(decode(payload));
    }

    public override void Reset() => Items.Clear();
}
