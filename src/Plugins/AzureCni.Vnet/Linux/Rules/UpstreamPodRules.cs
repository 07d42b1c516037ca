using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;

namespace AzureCni.Vnet.Linux.Rules;

/// <summary>
/// The ebtables rules upstream Azure CNI made for each bridge-mode pod (its bridge endpoint client), in ebtables-nft's
/// table <c>bridge nat</c>, chain PREROUTING. Per IPv4 address:
/// <c>-p ARP --arp-op Request --arp-ip-dst ADDR -j arpreply --arpreply-mac MAC --arpreply-target DROP</c>;
/// per address: <c>-p IPv4 -i MASTER --ip-dst ADDR -j dnat --to-dst MAC --dnat-target ACCEPT</c> (<c>-p IPv6 --ip6-dst</c>).
/// A rule is the pod's only when it is exactly that shape with the pod's address and MAC; upstream's node-wide arpreply
/// for the node's own address has the same shape with the master's MAC, which no pod has.
/// </summary>
internal static class UpstreamPodRules
{
    /// <summary>ebtables-nft's table of upstream's rules.</summary>
    public const string Table = "nat";

    private const string Chain = "PREROUTING";
    private const ushort EtherTypeIPv4 = 0x0800, EtherTypeIPv6 = 0x86dd, EtherTypeArp = 0x0806;
    private const ushort ArpRequest = 1;

    /// <summary>The address and MAC of a rule shaped as one of a pod's; false for any other rule.</summary>
    public static bool TryRead(EbtablesRule rule, out IPAddress address, out PhysicalAddress mac)
    {
        (address, mac) = (IPAddress.None, PhysicalAddress.None);
        if (rule.HasOtherExpressions || rule.Rule.Chain != Chain || rule.TargetMac is null || rule.OutInterface is not null)
            return false;

        if (rule is { Target: "arpreply", TargetVerdict: EBT_VERDICT.EBT_DROP, EtherType: EtherTypeArp, ArpOperation: ArpRequest, ArpIPDestination: { } arpTarget, InInterface: null, IPDestination: null })
        {
            (address, mac) = (arpTarget, rule.TargetMac);
            return true;
        }

        bool ipv6 = rule.IPDestination?.AddressFamily == AddressFamily.InterNetworkV6;
        if (rule is { Target: "dnat", TargetVerdict: EBT_VERDICT.EBT_ACCEPT, IPDestination: { } destination, InInterface: { } input, ArpOperation: null, ArpIPDestination: null }
            && rule.EtherType == (ipv6 ? EtherTypeIPv6 : EtherTypeIPv4) && !input.EndsWith('+'))
        {
            (address, mac) = (destination, rule.TargetMac);
            return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="rule"/> is one of the pod's (<paramref name="mac"/>, <paramref name="addresses"/>).</summary>
    public static bool IsOf(EbtablesRule rule, PhysicalAddress mac, IReadOnlyList<IPAddress> addresses) =>
        TryRead(rule, out var address, out var ruleMac) && mac.Equals(ruleMac) && addresses.Contains(address);

    /// <summary>
    /// The upstream rules the pod should have and <paramref name="rules"/> lacks, each as its ebtables command; empty
    /// when all are there.
    /// </summary>
    public static List<string> Missing(IReadOnlyList<EbtablesRule> rules, string master, PhysicalAddress mac, IReadOnlyList<IPAddress> addresses)
    {
        // Keyed by text, not by a tuple of references: a tuple's equality comparer brings NativeAOT's type loader
        // into every start of the plugin.
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (TryRead(rule, out var address, out var ruleMac) && mac.Equals(ruleMac) && (rule.Target == "arpreply" || rule.InInterface == master))
                present.Add(rule.Target + " " + address);
        }

        string text = LinuxContext.Mac(mac);
        var missing = new List<string>();
        foreach (var address in addresses)
        {
            bool ipv4 = address.AddressFamily == AddressFamily.InterNetwork;
            if (ipv4 && !present.Contains("arpreply " + address))
                missing.Add($"ebtables -t nat -A PREROUTING -p ARP --arp-op Request --arp-ip-dst {address} -j arpreply --arpreply-mac {text} --arpreply-target DROP");
            if (!present.Contains("dnat " + address))
                missing.Add($"ebtables -t nat -A PREROUTING -p {(ipv4 ? "IPv4" : "IPv6")} -i {master} --{(ipv4 ? "ip" : "ip6")}-dst {address} -j dnat --to-dst {text} --dnat-target ACCEPT");
        }

        return missing;
    }
}
