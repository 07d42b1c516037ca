using System.Net;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Vnet.Linux.Kernel;

/// <summary>
/// azure-vnet's packet rules as the Linux data path uses them, each rule set addressed by its <see cref="RuleTag"/>.
/// <see cref="LinuxKernel"/> keeps them in the kernel's nf_tables; the unit tests give a recording fake.
/// </summary>
internal interface IAzureCniRuleTable : IDisposable
{
    void ApplyBridgeNode(string master, ReadOnlySpan<byte> masterMac);

    void ApplyBridgeContainer(string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses);

    bool HasBridgeContainer(string tag, string master, ReadOnlySpan<byte> containerMac, IReadOnlyList<IPAddress> addresses);

    void ApplyPortMappings(string tag, IReadOnlyList<NfPortMapping> mappings);

    bool HasPortMappings(string tag, IReadOnlyList<NfPortMapping> mappings);

    void ApplyTunnelContainer(string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses);

    bool HasTunnelContainer(string tag, string master, string hostVeth, IReadOnlyList<IPAddress> addresses);

    /// <summary>Removes transparent-tunnel mode's table when no rule is left in it; false when some are.</summary>
    bool DeleteTunnelTableIfEmpty();

    /// <summary>The node-wide rule that hands frames to <paramref name="address"/> up to the node (ipsToRouteViaHost).</summary>
    void ApplyViaHost(IPAddress address, ReadOnlySpan<byte> bridgeMac);

    bool HasViaHost(IPAddress address);

    /// <summary>Removes the rule of <see cref="ApplyViaHost"/>, and its table when it was the last; 0 rules is success.</summary>
    void DeleteViaHost(IPAddress address);

    /// <summary>Removes every rule carrying <paramref name="tag"/>; how many there were (0 is success).</summary>
    int Delete(string tag);

    /// <summary>
    /// Removes the port-mapping tables when no rule is left in them, so the node is as before the first pod with port
    /// mappings. The caller serialises it with <see cref="ApplyPortMappings"/> (the network lock): a mapping added
    /// between the look and the delete would go with the table.
    /// </summary>
    void DeletePortMappingTablesIfEmpty();

    /// <summary>Every tag in azure-vnet's tables, sorted ordinally, each once.</summary>
    IReadOnlyList<string> ListTags();

    /// <summary>
    /// <c>ebtables -t nat -L --Lmac2</c>: the rules upstream Azure CNI left in ebtables-nft's table <c>bridge nat</c>
    /// (<see cref="UpstreamPodRules.Table"/>), read by meaning; none when there is no such table.
    /// </summary>
    IReadOnlyList<EbtablesRule> ListUpstreamRules();

    /// <summary>Removes the rules of that table <paramref name="select"/> picks, by handle in one transaction; how many (0 is success).</summary>
    int DeleteUpstreamRules(Func<EbtablesRule, bool> select);
}
