namespace AzureCni.Netlink.Protocol;

/// <summary>A fixed-size kernel struct with a generated codec (see <see cref="Generation.NetlinkStructAttribute"/>).</summary>
public interface INetlinkStruct<TSelf> where TSelf : struct, INetlinkStruct<TSelf>
{
    /// <summary><c>sizeof</c> the kernel struct, trailing padding included.</summary>
    static abstract int EncodedSize { get; }

    /// <summary>Reads the struct from the start of <paramref name="source"/>; false when it is too short.</summary>
    static abstract bool TryRead(ReadOnlySpan<byte> source, out TSelf value);

    /// <summary>Writes exactly <see cref="EncodedSize"/> bytes, padding zeroed.</summary>
    void Write(Span<byte> destination);
}
