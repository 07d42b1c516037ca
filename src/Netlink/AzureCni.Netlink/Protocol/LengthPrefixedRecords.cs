namespace AzureCni.Netlink.Protocol;

/// <summary>
/// The one walk both netlink framings share: messages (nlmsghdr, u32 length) and attributes (nlattr, u16
/// length) are records whose header starts with their own length, each padded to 4 bytes except the last.
/// </summary>
internal static class LengthPrefixedRecords
{
    /// <summary>
    /// Moves <paramref name="rest"/> past the record of <paramref name="length"/> bytes (header included) at its front
    /// and the record's padding. Fails, moving nothing, on a length shorter than the header or longer than what is
    /// left (NLMSG_OK / nla_ok), or on a padded record that overruns the buffer (only the last may omit padding).
    /// </summary>
    public static NetlinkDecodeError Skip(ref ReadOnlySpan<byte> rest, int headerLength, uint length)
    {
        if (length < (uint)headerLength || length > (uint)rest.Length)
            return NetlinkDecodeError.BadLength;

        // NLMSG_NEXT / nla_next: NLMSG_ALIGNTO and NLA_ALIGNTO are both 4.
        int aligned = NetlinkAlign.Message((int)length);
        if (aligned <= rest.Length)
            rest = rest[aligned..];
        else if (length == (uint)rest.Length)
            rest = default;
        else
            return NetlinkDecodeError.Misaligned;
        return NetlinkDecodeError.None;
    }
}
