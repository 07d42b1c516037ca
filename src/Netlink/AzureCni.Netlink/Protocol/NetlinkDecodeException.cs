namespace AzureCni.Netlink.Protocol;

/// <summary>A malformed netlink message: the one exception decoding raises.</summary>
public sealed class NetlinkDecodeException(NetlinkDecodeError error, string context)
    : Exception($"Malformed netlink data ({error}) in {context}.")
{
    public NetlinkDecodeError Error { get; } = error;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Throw(NetlinkDecodeError error, string context) => throw new NetlinkDecodeException(error, context);
}
