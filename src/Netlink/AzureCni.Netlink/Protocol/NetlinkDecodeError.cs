namespace AzureCni.Netlink.Protocol;

/// <summary>Why a netlink buffer could not be decoded.</summary>
public enum NetlinkDecodeError
{
    None = 0,

    /// <summary>Fewer bytes remain than a header (message, attribute or struct) needs.</summary>
    Truncated,

    /// <summary>A declared length is below its header size or beyond the bytes that remain.</summary>
    BadLength,

    /// <summary>An attribute's padding runs past the end of its container.</summary>
    Misaligned,

    /// <summary>An attribute payload has the wrong size for its declared type.</summary>
    BadAttributeLength,

    /// <summary>A message type or value the protocol does not allow here.</summary>
    Unexpected,
}
