namespace AzureCni.Vnet.Linux;

/// <summary>
/// The tag (nft comment) every azure-vnet rule carries, written and read only here: <c>azcni:node:MASTER</c> for a
/// bridge network's node-wide rules, <c>azcni:node:via-host:ADDR</c> for the node-wide rule of one address of
/// <c>ipsToRouteViaHost</c> (an interface name has no colon, so no master reads as it), <c>azcni:CONTAINERID:IFNAME</c>
/// for one attachment's.
/// </summary>
internal static class RuleTag
{
    private const string Prefix = "azcni:";
    private const string NodePrefix = "azcni:node:";
    private const string ViaHostPrefix = "azcni:node:via-host:";

    public static string Node(string master) => NodePrefix + master;

    public static string ViaHost(System.Net.IPAddress address) => ViaHostPrefix + address;

    /// <summary>The address a <see cref="ViaHost"/> tag names; false for any other tag.</summary>
    public static bool TryParseViaHost(string tag, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out System.Net.IPAddress? address)
    {
        address = null;
        return tag.StartsWith(ViaHostPrefix, StringComparison.Ordinal) && System.Net.IPAddress.TryParse(tag.AsSpan(ViaHostPrefix.Length), out address);
    }

    public static string Attachment(string containerId, string ifName) => Prefix + containerId + ":" + ifName;

    /// <summary>The attachment a tag names; false for node tags and anything not written by <see cref="Attachment"/>.</summary>
    public static bool TryParseAttachment(string tag, out string containerId, out string ifName)
    {
        containerId = ifName = "";
        if (!tag.StartsWith(Prefix, StringComparison.Ordinal) || tag.StartsWith(NodePrefix, StringComparison.Ordinal))
            return false;
        int colon = tag.LastIndexOf(':');
        if (colon <= Prefix.Length)
            return false;
        containerId = tag[Prefix.Length..colon];
        ifName = tag[(colon + 1)..];
        return true;
    }
}
