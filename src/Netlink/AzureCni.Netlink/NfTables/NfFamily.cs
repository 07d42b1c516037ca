namespace AzureCni.Netlink.NfTables;

/// <summary>An nftables table family (the <c>NFPROTO_*</c> value nft writes as <c>ip</c>, <c>ip6</c>, <c>bridge</c> ...).</summary>
public enum NfFamily : byte
{
    Inet = 1,
    Ip = 2,
    Arp = 3,
    Netdev = 5,
    Bridge = 7,
    Ip6 = 10,
}

/// <summary>Netfilter hooks (<c>enum nf_inet_hooks</c>; the bridge's <c>NF_BR_*</c> use the same numbers).</summary>
public enum NfHook : uint
{
    Prerouting = 0,
    Input = 1,
    Forward = 2,
    Output = 3,
    Postrouting = 4,
}

/// <summary>A rule as a GETRULE dump reports it.</summary>
/// <param name="Tag">The rule's comment (libnftnl userdata), which is where this library keeps its tags; null when absent.</param>
public sealed record NfRule(NfFamily Family, string Table, string Chain, ulong Handle, string? Tag);
