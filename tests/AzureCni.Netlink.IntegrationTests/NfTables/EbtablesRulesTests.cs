using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Netlink.IntegrationTests.NfTables;

/// <summary>
/// Rules the ebtables tool (ebtables-nft) writes, read back and deleted over netlink in a throwaway namespace: what
/// azure-vnet does with upstream Azure CNI's per-pod rules on a node it takes over.
/// </summary>
public sealed class EbtablesRulesTests
{
    private static readonly PhysicalAddress PodMac = PhysicalAddress.Parse("02-BD-0A-F0-00-05");

    [RootFact]
    public void UpstreamsPodRules_AreRead_AndDeletedByHandle_LeavingEveryOtherRule()
    {
        using TestNamespace ns = TestNamespace.Create();
        using NfTablesClient nft = NfTablesClient.Open(ns.Namespace);
        Assert.Empty(nft.ListEbtablesRules("nat"));
        Assert.Equal(0, nft.DeleteEbtablesRules("nat", _ => true));

        string[][] node =
        [
            ["-A", "POSTROUTING", "-s", "unicast", "-o", "eth0", "-j", "snat", "--to-src", "00:0d:3a:00:00:01", "--snat-arp", "--snat-target", "ACCEPT"],
            ["-A", "PREROUTING", "-p", "ARP", "--arp-op", "Request", "--arp-ip-dst", "10.240.0.4", "-j", "arpreply", "--arpreply-mac", "00:0d:3a:00:00:01", "--arpreply-target", "DROP"],
            ["-A", "PREROUTING", "-p", "ARP", "-i", "eth0", "--arp-op", "Reply", "-j", "dnat", "--to-dst", "ff:ff:ff:ff:ff:ff", "--dnat-target", "ACCEPT"],
            ["-A", "PREROUTING", "-p", "IPv4", "-i", "eth0", "--ip-dst", "10.240.0.6", "-j", "dnat", "--to-dst", "02:bd:0a:f0:00:06", "--dnat-target", "ACCEPT"],
        ];
        foreach (string[] rule in node)
            ns.Exec(["ebtables", "-t", "nat", .. rule]);
        string before = ns.Exec("ebtables", "-t", "nat", "-L", "--Lmac2");
        ns.Exec("ebtables", "-t", "nat", "-A", "PREROUTING", "-p", "ARP", "--arp-op", "Request", "--arp-ip-dst", "10.240.0.5", "-j", "arpreply", "--arpreply-mac", "02:bd:0a:f0:00:05", "--arpreply-target", "DROP");
        ns.Exec("ebtables", "-t", "nat", "-A", "PREROUTING", "-p", "IPv4", "-i", "eth0", "--ip-dst", "10.240.0.5", "-j", "dnat", "--to-dst", "02:bd:0a:f0:00:05", "--dnat-target", "ACCEPT");

        List<EbtablesRule> rules = nft.ListEbtablesRules("nat");
        Assert.Equal(6, rules.Count);
        IPAddress[] pod = [IPAddress.Parse("10.240.0.5")];
        Assert.Equal(2, rules.Count(r => UpstreamPodRules.IsOf(r, PodMac, pod)));
        Assert.Empty(UpstreamPodRules.Missing(rules, "eth0", PodMac, pod));

        Assert.Equal(2, nft.DeleteEbtablesRules("nat", r => UpstreamPodRules.IsOf(r, PodMac, pod)));
        Assert.Equal(before, ns.Exec("ebtables", "-t", "nat", "-L", "--Lmac2"));
        Assert.Equal(0, nft.DeleteEbtablesRules("nat", r => UpstreamPodRules.IsOf(r, PodMac, pod)));
        Assert.Equal(2, UpstreamPodRules.Missing(nft.ListEbtablesRules("nat"), "eth0", PodMac, pod).Count);
    }
}
