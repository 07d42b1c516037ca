using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// Upstream's sample conflists that use ipsToRouteViaHost and transparent-tunnel (<see cref="NetworkConfigs.UpstreamBridge"/>,
/// <see cref="NetworkConfigs.UpstreamTransparentTunnel"/>), run through the libcni client as shipped (cniVersion 0.3.0:
/// ADD, DEL) and at 1.0.0 (ADD, CHECK, DEL), with the reference portmap chained after azure-vnet.
/// </summary>
public sealed class UpstreamConflistTests
{
    private const int ListenerPort = 8053;

    /// <summary>
    /// NodeLocal DNS's set-up: 169.254.20.10 on the node (on lo here; a dummy link there) and a listener bound to it.
    /// Bridge-mode pods of the upstream conflist reach it through the node-wide rule; a pod of a network without the
    /// field reaches it only while that rule is there, and the DEL of the last pod listing it puts the node's
    /// nftables ruleset back as it was before.
    /// </summary>
    [EndToEndFact]
    public void Ips_to_route_via_host_reach_a_listener_on_the_node_until_the_last_pod_listing_them_goes()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 4);
        SimNode node = bed.Nodes[0];
        StartNodeLocalListener(bed, node);

        // A plain bridge pod first: the node's bridge and its layer-2 rules exist from here on.
        string plain = node.WriteConflist("plain", NetworkConfigs.AzureVnet(NetworkConfigs.Bridge));
        Pod other = bed.CreatePod(node, "plain");
        node.Add(other, plain);
        Assert.False(Answers(other), $"{other} reached {NetworkConfigs.NodeLocalDns} before any pod asked for it");
        string before = node.NftRuleset();

        string shipped = node.WriteConflist("upstream", NetworkConfigs.UpstreamBridge());
        string checkable = node.WriteConflist("upstream-1.0.0", NetworkConfigs.UpstreamBridge("1.0.0"));
        Pod a = bed.CreatePod(node, "a"), b = bed.CreatePod(node, "b");
        node.Add(a, shipped);
        node.Add(b, checkable);
        node.Succeeds("check", b, checkable);
        Assert.Contains("table bridge azure-cni-via-host", node.Exec("nft", "list", "tables").Stdout, StringComparison.Ordinal);

        // The listener sees the pod's own address: the frame went up to the node, not out to the fabric and back.
        Assert.Equal(a.Ip, Answer(a));
        Assert.Equal(b.Ip, Answer(b));
        Assert.True(a.Reaches(b.Ip), $"{a} cannot reach {b}");
        Assert.True(a.Reaches(SimulatedAzure.Gateway), $"{a} cannot reach the gateway");
        Assert.Equal(other.Ip, Answer(other)); // node-wide, as upstream's ebtables rule

        node.Succeeds("del", a, shipped);
        Assert.Equal(b.Ip, Answer(b));
        node.Succeeds("del", b, checkable);
        node.Succeeds("del", b, checkable);

        Assert.DoesNotContain("azure-cni-via-host", node.Exec("nft", "list", "tables").Stdout, StringComparison.Ordinal);
        Assert.Equal(before, node.NftRuleset());
        Assert.False(Answers(other), $"{other} still reaches {NetworkConfigs.NodeLocalDns} after the last pod listing it went");
        node.Succeeds("del", other, plain);
    }

    /// <summary>
    /// The node-wide rule under concurrent ADDs and DELs (the network-setup lock): eight pods added at once all reach the
    /// listener; four deleted while four more are added leave the rule to the eight that remain; all deleted at once
    /// take it, and its table, along.
    /// </summary>
    [EndToEndFact]
    public void The_via_host_rule_survives_concurrent_deletes_while_a_pod_lists_it_and_goes_with_the_last()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 14);
        SimNode node = bed.Nodes[0];
        StartNodeLocalListener(bed, node);
        string conf = node.WriteConflist("upstream", NetworkConfigs.UpstreamBridge("1.0.0"));
        Pod[] pods = Enumerable.Range(0, 12).Select(i => bed.CreatePod(node, "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        Parallel.ForEach(pods[..8], pod => node.Add(pod, conf));
        Assert.All(pods[..8], pod => Assert.Equal(pod.Ip, Answer(pod)));

        Parallel.ForEach(pods[..4].Select(p => ("del", p)).Concat(pods[8..].Select(p => ("add", p))), step =>
        {
            if (step.Item1 == "add")
                node.Add(step.p, conf);
            else
                node.Succeeds("del", step.p, conf);
        });
        Assert.All(pods[4..], pod => Assert.Equal(pod.Ip, Answer(pod)));
        Assert.Equal(8, pods[4..].Select(p => p.Ip).Distinct().Count());

        Parallel.ForEach(pods[4..], pod => node.Succeeds("del", pod, conf));
        Assert.DoesNotContain("azure-cni-via-host", node.Exec("nft", "list", "tables").Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("via-host", node.NftRuleset(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The tunnel conflist: two pods of one node reach each other through the fabric (its forward counter sees them),
    /// and the gateway and the node; the field ipsToRouteViaHost makes nothing; after the last DEL the node's rules,
    /// routes of every table and nftables ruleset are as before the first ADD.
    /// </summary>
    [EndToEndFact]
    public void Transparent_tunnel_pods_of_one_node_reach_each_other_through_the_fabric()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 4);
        SimNode node = bed.Nodes[0];
        // The fabric hairpins a node's pod-to-pod packets back to it; a redirect would teach the pod a shortcut.
        Assert.True(bed.InFabric("sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.default.send_redirects=0").Succeeded);
        foreach (string link in bed.InFabric("ls", "/proc/sys/net/ipv4/conf").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            bed.InFabric("sysctl", "-qw", $"net.ipv4.conf.{link}.send_redirects=0");
        string before = node.NetworkDump();

        string shipped = node.WriteConflist("upstream", NetworkConfigs.UpstreamTransparentTunnel());
        string checkable = node.WriteConflist("upstream-1.0.0", NetworkConfigs.UpstreamTransparentTunnel("1.0.0"));
        Pod a = bed.CreatePod(node, "a"), b = bed.CreatePod(node, "b");
        node.Add(a, shipped);
        node.Add(b, checkable);
        node.Succeeds("check", b, checkable);
        Assert.Contains("fwmark 0x3 lookup 101", node.Exec("ip", "-4", "rule").Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("azure-cni-via-host", node.Exec("nft", "list", "tables").Stdout, StringComparison.Ordinal);

        Shell.Check(["ip", "netns", "exec", bed.FabricNamespace, "nft",
            $"add table ip count; add chain ip count relay {{ type filter hook forward priority 0; }}; add rule ip count relay ip saddr {a.Ip} ip daddr {b.Ip} counter"]);
        Assert.True(a.Reaches(b.Ip), $"{a} cannot reach {b} on the same node");
        Assert.True(b.Reaches(a.Ip), $"{b} cannot reach {a} on the same node");
        Assert.DoesNotContain("packets 0 ", bed.InFabric("nft", "list", "chain", "ip", "count", "relay").Stdout, StringComparison.Ordinal);
        Assert.True(a.Reaches(SimulatedAzure.Gateway), $"{a} cannot reach the gateway");
        Assert.True(a.Reaches(node.PrimaryIp), $"{a} cannot reach its node");
        Assert.True(node.Reaches(b.Ip), $"the node cannot reach {b}");

        node.Succeeds("del", a, shipped);
        Assert.Contains("fwmark 0x3 lookup 101", node.Exec("ip", "-4", "rule").Stdout, StringComparison.Ordinal);
        node.Succeeds("del", b, checkable);
        node.Succeeds("del", b, checkable);
        Assert.True(bed.DeletePod(a) && bed.DeletePod(b), "the pods' namespaces could not be deleted");
        node.AssertNoVethLinks();
        Assert.Equal(before, node.NetworkDump());
    }

    /// <summary>Tunnel pods added and deleted in parallel: the node-wide rule, table 101 and nft table go with the last, whichever DEL that is.</summary>
    [EndToEndFact]
    public void Transparent_tunnel_node_objects_go_after_concurrent_deletes_of_every_pod()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 8);
        SimNode node = bed.Nodes[0];
        string before = node.NetworkDump();
        string conf = node.WriteConflist("upstream", NetworkConfigs.UpstreamTransparentTunnel("1.0.0"));
        Pod[] pods = Enumerable.Range(0, 6).Select(i => bed.CreatePod(node, "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        Parallel.ForEach(pods, pod => node.Add(pod, conf));
        Assert.Contains("fwmark 0x3 lookup 101", node.Exec("ip", "-4", "rule").Stdout, StringComparison.Ordinal);
        Parallel.ForEach(pods, pod => node.Succeeds("del", pod, conf));

        Assert.DoesNotContain("lookup 101", node.Exec("ip", "-4", "rule").Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("azure-cni-tunnel", node.Exec("nft", "list", "tables").Stdout, StringComparison.Ordinal);
        Assert.All(pods, pod => Assert.True(bed.DeletePod(pod)));
        node.AssertNoVethLinks();
        Assert.Equal(before, node.NetworkDump());
    }

    // NodeLocal DNS's address on the node's lo and a listener bound to it that answers with the peer's address.
    private static void StartNodeLocalListener(SimulatedAzure bed, SimNode node)
    {
        Shell.Check(["ip", "-n", node.Namespace, "addr", "add", NetworkConfigs.NodeLocalDns + "/32", "dev", "lo"]);
        bed.StartBackground("ip", "netns", "exec", node.Namespace, "socat",
            $"TCP-LISTEN:{ListenerPort},bind={NetworkConfigs.NodeLocalDns},fork,reuseaddr", "SYSTEM:echo $SOCAT_PEERADDR");
        Assert.True(WaitUntil(() => node.Exec("ss", "-Hltn", $"sport = :{ListenerPort}").Stdout.Contains("LISTEN", StringComparison.Ordinal)), "the node's listener did not start");
    }

    private static string Answer(Pod pod)
    {
        CommandResult answer = pod.Exec("socat", "-T", "3", "-", $"TCP:{NetworkConfigs.NodeLocalDns}:{ListenerPort},connect-timeout=3");
        Assert.True(answer.Succeeded, $"{pod} got no answer from {NetworkConfigs.NodeLocalDns}:{ListenerPort}: {answer}");
        return answer.Stdout.Trim();
    }

    private static bool Answers(Pod pod) =>
        pod.Exec("socat", "-T", "2", "-", $"TCP:{NetworkConfigs.NodeLocalDns}:{ListenerPort},connect-timeout=2").Stdout.Trim() == pod.Ip;

    private static bool WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 50; i++)
        {
            if (condition())
                return true;
            Thread.Sleep(100);
        }
        return false;
    }
}
