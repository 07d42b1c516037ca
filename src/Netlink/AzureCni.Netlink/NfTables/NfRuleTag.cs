using System.Text;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.NfTables;

/// <summary>
/// A rule's tag is stored as libnftnl's comment TLV in NFTA_RULE_USERDATA (<c>u8 type=NFTNL_UDATA_RULE_COMMENT,
/// u8 len, "text\0"</c>), so <c>nft list ruleset</c> shows it as <c>comment "TAG"</c> and nft keeps it intact.
/// </summary>
internal static class NfRuleTag
{
    /// <summary>Longest tag: the comment limit minus its NUL.</summary>
    public const int MaxLength = NFTNL_UDATA.NFTNL_UDATA_COMMENT_MAXLEN - 1;

    /// <summary>Bytes <see cref="Write"/> needs for <paramref name="tag"/>.</summary>
    public static int EncodedLength(string tag) => 2 + Encoding.UTF8.GetByteCount(tag) + 1;

    /// <summary>Writes the userdata TLV for <paramref name="tag"/>; returns its length.</summary>
    public static int Write(string tag, Span<byte> destination)
    {
        int length = Encoding.UTF8.GetByteCount(tag);
        if (length == 0 || length > MaxLength)
            throw new ArgumentException($"An nftables rule tag must be 1..{MaxLength} UTF-8 bytes.", nameof(tag));
        destination[0] = NFTNL_UDATA.NFTNL_UDATA_RULE_COMMENT;
        destination[1] = (byte)(length + 1);
        Encoding.UTF8.GetBytes(tag, destination[2..]);
        destination[2 + length] = 0;
        return 2 + length + 1;
    }

    /// <summary>The comment in a rule's userdata; false when there is none or the TLVs are malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> userData, out ReadOnlySpan<byte> tag)
    {
        while (userData.Length >= 2)
        {
            byte type = userData[0];
            int length = userData[1];
            if (2 + length > userData.Length)
                break;
            ReadOnlySpan<byte> value = userData.Slice(2, length);
            if (type == NFTNL_UDATA.NFTNL_UDATA_RULE_COMMENT)
            {
                int nul = value.IndexOf((byte)0);
                tag = nul >= 0 ? value[..nul] : value;
                return !tag.IsEmpty;
            }
            userData = userData[(2 + length)..];
        }
        tag = default;
        return false;
    }
}
