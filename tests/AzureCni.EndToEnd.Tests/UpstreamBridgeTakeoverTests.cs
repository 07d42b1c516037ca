using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// A node upstream Azure CNI ran in bridge mode, taken over by this project's plugins (docs/operations.md, "Moving a
/// node from upstream Azure CNI and back"). The node is built by hand as upstream builds it
/// (/work/shared/reference/azure-cni-behaviour.md §3.2-3.3, upstream-state-and-migration.md §4-5): bridge azure0
/// with eth0 as its port and eth0's address and default route on it, upstream's three node-wide ebtables rules; per
/// pod a veth named by upstream's scheme on the bridge, its two ebtables rules made with the ebtables tool (here
/// ebtables-nft), a permanent neighbour entry; upstream's state files and the runtime's result cache beside them.
/// </summary>
public sealed class UpstreamBridgeTakeoverTests
{
    private const string Network = "azure";
    private const int Secondaries = 10;

    /// <summary>One pod upstream made: its sandbox, address and the MAC of its eth0.</summary>
    private sealed record UpstreamPod(Pod Pod, string Address, string Mac)
    {
        // Every mode but transparent names the host veth from name + container ID + ifname (endpoint_linux.go's key).
        public string HostVeth => "azv" + Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Network + Pod.ContainerId + "eth0")))[..11];

        public string[] ArpReply => ["-p", "ARP", "--arp-op", "Request", "--arp-ip-dst", Address, "-j", "arpreply", "--arpreply-mac", Mac, "--arpreply-target", "DROP"];

        public string[] Dnat => ["-p", "IPv4", "-i", "eth0", "--ip-dst", Address, "-j", "dnat", "--to-dst", Mac, "--dnat-target", "ACCEPT"];
    }

    private static string NodeMac(SimNode node) => $"00:0d:3a:00:00:{node.Index:x2}";

    private static string Ebtables(SimNode node, params string[] args) => Shell.Check(["ip", "netns", "exec", node.Namespace, "ebtables", "-t", "nat", .. args]);

    /// <summary>What ebtables lists of the nat table: one line per rule, MACs in full.</summary>
    private static string[] EbtablesRules(SimNode node) =>
        Ebtables(node, "-L", "--Lmac2").Split('\n').Where(l => l.StartsWith('-')).Select(l => l.Trim()).ToArray();

    /// <summary>Upstream's first bridge-mode ADD on the node: eth0 into azure0 with its address and default route, the node-wide ebtables rules.</summary>
    private static void MakeUpstreamBridge(SimNode node)
    {
        string ns = node.Namespace;
        Shell.Check(["ip", "-n", ns, "link", "add", NetworkConfigs.BridgeName, "type", "bridge"]);
        Shell.Check(["ip", "-n", ns, "addr", "del", node.PrimaryIp + "/16", "dev", "eth0"]);
        Shell.Check(["ip", "-n", ns, "link", "set", "eth0", "down"]);
        Shell.Check(["ip", "-n", ns, "link", "set", "eth0", "master", NetworkConfigs.BridgeName]);
        Shell.Check(["ip", "-n", ns, "link", "set", "eth0", "up"]);
        Shell.Check(["ip", "-n", ns, "link", "set", NetworkConfigs.BridgeName, "up"]);
        Shell.Check(["ip", "-n", ns, "addr", "add", node.PrimaryIp + "/16", "dev", NetworkConfigs.BridgeName]);
        Shell.Check(["ip", "-n", ns, "route", "replace", "default", "via", SimulatedAzure.Gateway, "dev", NetworkConfigs.BridgeName]);
        Ebtables(node, "-A", "POSTROUTING", "-s", "unicast", "-o", "eth0", "-j", "snat", "--to-src", NodeMac(node), "--snat-arp", "--snat-target", "ACCEPT");
        Ebtables(node, "-A", "PREROUTING", "-p", "ARP", "--arp-op", "Request", "--arp-ip-dst", node.PrimaryIp, "-j", "arpreply", "--arpreply-mac", NodeMac(node), "--arpreply-target", "DROP");
        Ebtables(node, "-A", "PREROUTING", "-p", "ARP", "-i", "eth0", "--arp-op", "Reply", "-j", "dnat", "--to-dst", "ff:ff:ff:ff:ff:ff", "--dnat-target", "ACCEPT");
    }

    /// <summary>A bridge-mode pod as upstream leaves it: veth on the bridge (hairpin on), its ebtables rules and neighbour, the pod's address and default route.</summary>
    private static UpstreamPod MakeBridgePod(SimulatedAzure bed, SimNode node, int index)
    {
        var pod = bed.CreatePod(node, "up-" + index.ToString(CultureInfo.InvariantCulture));
        var made = new UpstreamPod(pod, $"10.240.{node.Index}.{5 + index}", $"02:bd:0a:f0:01:{index:x2}");
        string ns = node.Namespace;
        Shell.Check(["ip", "-n", ns, "link", "add", made.HostVeth, "type", "veth", "peer", "name", "eth0", "address", made.Mac, "netns", pod.Namespace]);
        Shell.Check(["ip", "-n", ns, "link", "set", made.HostVeth, "master", NetworkConfigs.BridgeName]);
        Shell.Check(["ip", "-n", ns, "link", "set", made.HostVeth, "up"]);
        Shell.Check(["ip", "-n", ns, "link", "set", "dev", made.HostVeth, "type", "bridge_slave", "hairpin", "on"]);
        Ebtables(node, ["-A", "PREROUTING", .. made.ArpReply]);
        Ebtables(node, ["-A", "PREROUTING", .. made.Dnat]);
        Shell.Check(["ip", "-n", ns, "neigh", "replace", made.Address, "lladdr", made.Mac, "dev", NetworkConfigs.BridgeName, "nud", "permanent"]);
        Shell.Check(["ip", "-n", pod.Namespace, "link", "set", "eth0", "up"]);
        Shell.Check(["ip", "-n", pod.Namespace, "addr", "add", made.Address + "/16", "dev", "eth0"]);
        Shell.Check(["ip", "-n", pod.Namespace, "route", "add", "default", "via", SimulatedAzure.Gateway, "dev", "eth0"]);
        pod.Address = System.Net.IPAddress.Parse(made.Address);
        return made;
    }

    /// <summary>upstream's azure-vnet-ipam.json: the node's secondaries, the pods' addresses in use by their container IDs.</summary>
    private static string UpstreamIpamFile(SimNode node, IReadOnlyList<UpstreamPod> pods) =>
        UpstreamStateFiles.Ipam(node, Secondaries, pods.ToDictionary(p => p.Address, p => p.Pod.ContainerId), "v1.4.59");

    /// <summary>upstream's azure-vnet.json in bridge mode (the reference's §8 bridge example, this node's values).</summary>
    private static string UpstreamVnetFile(SimNode node, IReadOnlyList<UpstreamPod> pods)
    {
        var endpoints = pods.Select(p => $$"""
            "{{p.Pod.ContainerId[..8]}}-eth0":{"Id":"{{p.Pod.ContainerId[..8]}}-eth0","SandboxKey":"","IfName":"eth0","HostIfName":"{{p.HostVeth}}","MacAddress":"{{UpstreamStateFiles.Base64Mac(p.Mac)}}","InfraVnetIP":{"IP":"","Mask":null},"LocalIP":"",
             "IPAddresses":[{"IP":"{{p.Address}}","Mask":"//8AAA=="}],"Gateways":["10.240.0.1"],"DNS":{"Suffix":"","Servers":["168.63.129.16"],"Options":null},
             "Routes":[{"Dst":{"IP":"0.0.0.0","Mask":"AAAAAA=="},"Src":"","Gw":"10.240.0.1","Protocol":0,"DevName":"","Scope":0,"Priority":0,"Table":0}],
             "VlanID":0,"EnableSnatOnHost":false,"EnableInfraVnet":false,"EnableMultitenancy":false,"AllowInboundFromHostToNC":false,"AllowInboundFromNCToHost":false,"NetworkContainerID":"",
             "NetworkNameSpace":"{{p.Pod.NetnsPath}}","ContainerID":"{{p.Pod.ContainerId}}","PODName":"db-{{p.Address[^1]}}","PODNameSpace":"data","SecondaryInterfaces":{},"NICType":"InfraNIC"}
            """);
        return $$"""
            {"Network":{"CnsClient":null,"Version":"v1.4.59","TimeStamp":"2026-03-02T10:15:31.5Z","ExternalInterfaces":{"eth0":{"Name":"eth0",
             "Networks":{"{{Network}}":{"Id":"{{Network}}","Mode":"bridge","VlanId":0,
              "Subnets":[{"Family":2,"Prefix":{"IP":"10.240.0.0","Mask":"//8AAA=="},"Gateway":"10.240.0.1","PrimaryIP":""}],
              "Endpoints":{ {{string.Join(",\n", endpoints)}} },
              "DNS":{"Suffix":"","Servers":null,"Options":null},"EnableSnatOnHost":false,"NetNs":"","SnatBridgeIP":""} },
             "Subnets":["10.240.0.0/16"],"BridgeName":"{{NetworkConfigs.BridgeName}}","DNSInfo":{"Suffix":"","Servers":null,"Options":null},"MacAddress":"{{UpstreamStateFiles.Base64Mac(NodeMac(node))}}",
             "IPAddresses":[{"IP":"{{node.PrimaryIp}}","Mask":"//8AAA=="}],
             "Routes":[{"Family":2,"Dst":null,"Src":"","Gw":"10.240.0.1","Tos":0,"Table":254,"Protocol":3,"Scope":0,"Type":1,"Flags":0,"Priority":0,"LinkIndex":2,"ILinkIndex":0}],
             "IPv4Gateway":"10.240.0.1","IPv6Gateway":"::"} } } }
            """;
    }

    /// <summary>The entry libcni wrote when upstream's ADD of the pod returned (results/&lt;network&gt;-&lt;cid&gt;-&lt;ifname&gt;).</summary>
    private static void WriteResultCache(SimNode node, string conflist, UpstreamPod pod)
    {
        string results = Path.Combine(node.CacheDir, "results");
        Directory.CreateDirectory(results);
        string entry = $$"""
            {"kind":"cniCacheV1","containerId":"{{pod.Pod.ContainerId}}","config":"{{Convert.ToBase64String(File.ReadAllBytes(conflist))}}","ifName":"eth0","networkName":"{{Network}}","netns":"{{pod.Pod.NetnsPath}}",
             "result":{"cniVersion":"1.0.0","interfaces":[{"name":"{{pod.HostVeth}}"},{"name":"eth0","mac":"{{pod.Mac}}","sandbox":"{{pod.Pod.NetnsPath}}"}],
              "ips":[{"address":"{{pod.Address}}/16","gateway":"10.240.0.1","interface":1}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}],"dns":{"nameservers":["168.63.129.16"]} } }
            """;
        File.WriteAllText(Path.Combine(results, $"{Network}-{pod.Pod.ContainerId}-eth0"), entry);
    }

    /// <summary>Nothing of the pod on the node: no ebtables rule naming its address or MAC, route, neighbour, nft rule, state entry, reservation, veth.</summary>
    private static void AssertNothingLeftOf(SimNode node, UpstreamPod pod)
    {
        var mention = new Regex($@"(?<![\d.]){Regex.Escape(pod.Address)}(?!\d)", RegexOptions.CultureInvariant);
        Assert.DoesNotContain(EbtablesRules(node), r => r.Contains(pod.Mac, StringComparison.Ordinal) || mention.IsMatch(r));
        string[] leftovers = node.NetworkDump().Split('\n').Where(line => mention.IsMatch(line) || line.Contains(pod.Mac, StringComparison.Ordinal)).ToArray();
        Assert.True(leftovers.Length == 0, $"{node.Namespace} still holds {pod.Address} of {pod.Pod.Namespace}:\n{string.Join('\n', leftovers)}");
        foreach (string file in (string[])["azure-vnet.json", "azure-vnet-ipam.json"])
            Assert.DoesNotContain(pod.Pod.ContainerId, File.ReadAllText(Path.Combine(node.StateDir, file)), StringComparison.Ordinal);
        Assert.DoesNotContain(pod.Address, node.ReservedAddresses());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (node.VethLinks().Contains(pod.HostVeth) && clock.Elapsed < SimNode.NamespaceTeardown)
            Thread.Sleep(20);
        Assert.DoesNotContain(pod.HostVeth, node.VethLinks());
    }

    // The conflist's azure-vnet plugin as a single config, for GC (which libcni-client does not send).
    private static string GcConfig(string conflist, IEnumerable<Pod> valid)
    {
        using var doc = JsonDocument.Parse(conflist);
        string body = doc.RootElement.GetProperty("plugins")[0].GetRawText().TrimStart()[1..];
        string attachments = string.Join(",", valid.Select(p => $$"""{"containerID":"{{p.ContainerId}}","ifname":"eth0"}"""));
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"" + Network + "\",\"cni.dev/valid-attachments\":[" + attachments + "]," + body;
    }

    [EndToEndFact]
    public void UpstreamBridgePods_AreCheckedDeletedAndCollected_BesideNewPods_LeavingOnlyTheNodesRules()
    {
        using var bed = SimulatedAzure.Start(nodes: 1, secondaries: Secondaries);
        SimNode node = bed.Nodes[0];
        string rawConfig = NetworkConfigs.AzureVnet(NetworkConfigs.Bridge, Network);
        string conflist = node.WriteConflist(Network, rawConfig);
        MakeUpstreamBridge(node);
        string[] nodeRules = EbtablesRules(node);
        var upstream = Enumerable.Range(0, 4).Select(i => MakeBridgePod(bed, node, i)).ToList();
        foreach (var pod in upstream)
        {
            WriteResultCache(node, conflist, pod);
            Assert.True(pod.Pod.Reaches(SimulatedAzure.Gateway), $"upstream's pod {pod.Pod} does not reach the gateway: the bed's upstream node is wrong");
        }

        File.WriteAllText(Path.Combine(node.StateDir, "azure-vnet-ipam.json"), UpstreamIpamFile(node, upstream));
        File.WriteAllText(Path.Combine(node.StateDir, "azure-vnet.json"), UpstreamVnetFile(node, upstream));

        // New pods before any old one goes: other addresses, and traffic both ways with upstream's pods and the fabric.
        Pod[] fresh = [bed.CreatePod(node, "new-0"), bed.CreatePod(node, "new-1")];
        foreach (Pod pod in fresh)
        {
            string address = node.Add(pod, conflist).ToString();
            Assert.DoesNotContain(upstream, u => u.Address == address);
            Assert.True(pod.Reaches(upstream[0].Address), $"{pod} cannot reach upstream's pod {upstream[0].Pod}");
            Assert.True(upstream[0].Pod.Reaches(pod.Ip), $"upstream's pod {upstream[0].Pod} cannot reach {pod}");
            Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} cannot reach the gateway");
        }

        Assert.True(bed.InFabric(Ping.Once(fresh[0].Ip)).Succeeded, "the fabric cannot reach the new pod");
        Assert.True(bed.InFabric(Ping.Once(upstream[1].Address)).Succeeded, "the fabric cannot reach upstream's pod after the takeover");

        // CHECK accepts upstream's rules as the pod's; without one of them it names it.
        foreach (var pod in upstream)
        {
            var check = node.Cni("check", pod.Pod, conflist);
            Assert.True(check.Succeeded && check.Stdout.Length == 0, $"CHECK of upstream's {pod.Pod}: {check}");
        }

        Ebtables(node, ["-D", "PREROUTING", .. upstream[0].Dnat]);
        var broken = node.Cni("check", upstream[0].Pod, conflist);
        Assert.False(broken.Succeeded);
        Assert.Contains($"-p IPv4 -i eth0 --ip-dst {upstream[0].Address} -j dnat --to-dst {upstream[0].Mac}", broken.Stdout + broken.Stderr, StringComparison.Ordinal);
        Ebtables(node, ["-A", "PREROUTING", .. upstream[0].Dnat]);
        node.Succeeds("check", upstream[0].Pod, conflist);

        // DEL of three of them removes upstream's rules and neighbour with the rest; a second DEL finds nothing and succeeds.
        foreach (var pod in upstream.Take(3))
        {
            node.Succeeds("del", pod.Pod, conflist);
            node.Succeeds("del", pod.Pod, conflist);
            Assert.True(bed.DeletePod(pod.Pod));
            AssertNothingLeftOf(node, pod);
        }

        // GC of the last upstream pod (the runtime no longer lists it) and of a rule pair upstream left for a pod
        // no state entry holds; upstream's node-wide rules stay.
        UpstreamPod stray = new(upstream[3].Pod, $"10.240.{node.Index}.99", "02:bd:0a:f0:01:99");
        Ebtables(node, ["-A", "PREROUTING", .. stray.ArpReply]);
        Ebtables(node, ["-A", "PREROUTING", .. stray.Dnat]);
        var gc = node.Plugin("GC", GcConfig(rawConfig, fresh));
        Assert.True(gc.Succeeded, gc.ToString());
        Assert.True(bed.DeletePod(upstream[3].Pod));
        AssertNothingLeftOf(node, upstream[3]);
        Assert.Equal(nodeRules, EbtablesRules(node));

        // The new pods live on; their DEL leaves no pod on the node.
        foreach (Pod pod in fresh)
        {
            Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} lost the gateway");
            node.Succeeds("check", pod, conflist);
            node.Succeeds("del", pod, conflist);
            bed.DeletePod(pod);
        }

        node.AssertNoVethLinks();
        Assert.Empty(node.ReservedAddresses());
        Assert.Equal(nodeRules, EbtablesRules(node));
        Assert.True(node.Reaches(SimulatedAzure.Gateway), "the node lost the gateway");
    }
}
