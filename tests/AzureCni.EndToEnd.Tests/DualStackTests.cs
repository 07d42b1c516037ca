using System.Collections.Concurrent;
using System.Net.Sockets;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// Dual-stack pods on two nodes of a dual-stack bed (IPv4 and IPv6 from the reference host-local IPAM, delegated),
/// through the real libcni runtime: IPv6 ping and TCP between pods of a node, across nodes, to the gateway, from the
/// nodes; nothing left after DEL.
/// </summary>
public sealed class DualStackTests
{
    private const int Port = 9000;

    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void Dual_stack_pods_reach_each_other_the_gateway_and_the_nodes_over_IPv6_and_leave_nothing_after_delete(string mode)
    {
        using SimulatedAzure bed = SimulatedAzure.Start(dualStack: true);
        AssertDualStackPods(bed, mode, node => NetworkConfigs.AzureVnetDualStack(mode, node));
    }

    /// <summary>
    /// The same pods with azure-vnet's in-process azure-vnet-ipam, which hands out one IPv4 and one IPv6 secondary
    /// of the node's listing per ADD and keeps no reservation after DEL.
    /// </summary>
    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent, NetworkConfigs.Wireserver)]
    [InlineData(NetworkConfigs.Bridge, NetworkConfigs.Wireserver)]
    [InlineData(NetworkConfigs.Bridge, NetworkConfigs.InterfacesFile)]
    public void Dual_stack_pods_of_azure_vnet_ipam_reach_each_other_the_gateway_and_the_nodes_over_IPv6_and_leave_no_reservation(string mode, string environment)
    {
        using SimulatedAzure bed = SimulatedAzure.Start(dualStack: true);
        AssertDualStackPods(bed, mode, node => NetworkConfigs.AzureVnet(mode, ipam: NetworkConfigs.AzureVnetIpam(environment, node)), pods => AssertReservedExactly(bed, pods));
        foreach (SimNode node in bed.Nodes)
            Assert.Empty(node.ReservedAddresses());
    }

    /// <summary>
    /// Upstream's bridge conflist as its dual-stack nodes have it (<c>ipv6Mode: ipv6nat</c>, azure-vnet-ipam on the
    /// wireserver, portmap chained): where upstream asks a second IPAM for the IPv6 address and NATs it, the one
    /// azure-vnet-ipam hands out an IPv6 secondary the fabric routes, and the same pods work end to end.
    /// </summary>
    [EndToEndFact]
    public void Upstreams_dual_stack_bridge_conflist_gives_pods_both_families_end_to_end()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(dualStack: true);
        AssertDualStackPods(bed, NetworkConfigs.Bridge, _ => NetworkConfigs.UpstreamBridge("1.0.0", ipv6Mode: "ipv6nat"), pods => AssertReservedExactly(bed, pods));
    }

    /// <summary>The same conflist on a node whose wireserver lists no IPv6 subnet: ADD fails with code 7 and keeps nothing.</summary>
    [EndToEndFact]
    public void Upstreams_dual_stack_conflist_on_a_node_without_IPv6_fails_whole()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 4);
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.UpstreamBridge("1.0.0", ipv6Mode: "ipv6nat"));
        Pod pod = bed.CreatePod(node, "v4only");

        CommandResult add = node.Cni("add", pod, conf);

        Assert.False(add.Succeeded, add.ToString());
        Assert.Contains("asks for a dual-stack pod, but IPAM (azure-vnet-ipam) returned no IPv6 address", add.ToString(), StringComparison.Ordinal);
        string log = File.ReadAllText(Path.Combine(node.Directory, "azure-vnet.log"));
        Assert.Contains($"ADD container={pod.ContainerId} ifname=eth0 network=azure outcome=error code=7 ", log, StringComparison.Ordinal);
        Assert.Empty(node.ReservedAddresses());
        Assert.Empty(node.StateFilesMentioning(pod.ContainerId));
        Assert.Empty(node.VethLinks());
    }

    /// <summary>azure-vnet-ipam's state reserves exactly the pods' addresses of both families, each on its own node.</summary>
    private static void AssertReservedExactly(SimulatedAzure bed, IReadOnlyList<Pod> pods)
    {
        foreach (SimNode node in bed.Nodes)
            Assert.Equal(
                pods.Where(p => p.Node == node).SelectMany(p => new[] { p.Ip, p.Ip6 }).Order(StringComparer.Ordinal),
                node.ReservedAddresses().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Pods a and b on node 1 and c on node 2 of a dual-stack bed, each with one address per family (its node's
    /// 10.240.N.x and fd00:240::N:x): IPv6 ping and TCP between them, to the gateway, to and from the nodes; DEL
    /// (twice) leaves each node as it was before the first ADD. <paramref name="whileAttached"/> checks the IPAM's
    /// view of the attached pods.
    /// </summary>
    private static void AssertDualStackPods(SimulatedAzure bed, string mode, Func<SimNode, string> conflist, Action<IReadOnlyList<Pod>>? whileAttached = null)
    {
        SimNode node1 = bed.Nodes[0], node2 = bed.Nodes[1];
        string conf1 = node1.WriteConflist("azure", conflist(node1));
        string conf2 = node2.WriteConflist("azure", conflist(node2));
        if (mode == NetworkConfigs.Bridge)
        {
            // The bridge set-up is the node's for good: the snapshots start after it.
            SetUpNode(bed, node1, conf1);
            SetUpNode(bed, node2, conf2);
        }

        string before1 = node1.Snapshot(), before2 = node2.Snapshot();
        Pod a = bed.CreatePod(node1, "a"), b = bed.CreatePod(node1, "b"), c = bed.CreatePod(node2, "c");
        node1.Add(a, conf1);
        node1.Add(b, conf1);
        node2.Add(c, conf2);
        Assert.StartsWith("fd00:240::1:", a.Ip6, StringComparison.Ordinal);
        Assert.StartsWith("fd00:240::1:", b.Ip6, StringComparison.Ordinal);
        Assert.StartsWith("fd00:240::2:", c.Ip6, StringComparison.Ordinal);
        Assert.NotEqual(a.Ip6, b.Ip6);
        foreach (Pod pod in new[] { a, b, c })
        {
            Assert.StartsWith($"10.240.{pod.Node.Index}.", pod.Ip, StringComparison.Ordinal);
            Assert.Equal([pod.Ip], pod.HeldAddresses(AddressFamily.InterNetwork));
            Assert.Equal([pod.Ip6], pod.HeldAddresses(AddressFamily.InterNetworkV6));
            Assert.NotEqual(pod.Node.PrimaryIp6, pod.Ip6);
        }

        node1.Succeeds("check", a, conf1);
        node2.Succeeds("check", c, conf2);
        whileAttached?.Invoke([a, b, c]);

        Assert.True(a.Reaches(b.Ip6), $"{a} cannot reach {b.Ip6} on the same node");
        Assert.True(a.Reaches(c.Ip6), $"{a} cannot reach {c.Ip6} on the other node");
        Assert.True(c.Reaches(a.Ip6), $"{c} cannot reach {a.Ip6} on the other node");
        Assert.True(a.Reaches(SimulatedAzure.Gateway6), $"{a} cannot reach the gateway {SimulatedAzure.Gateway6}");
        Assert.True(a.Reaches(node1.PrimaryIp6), $"{a} cannot reach its node over IPv6");
        Assert.True(a.Reaches(node2.PrimaryIp6), $"{a} cannot reach the other node over IPv6");
        Assert.True(node1.Reaches(a.Ip6), $"node 1 cannot reach {a.Ip6}");
        Assert.True(node2.Reaches(a.Ip6), $"node 2 cannot reach {a.Ip6}");
        Assert.True(bed.InFabric(Ping.Once(c.Ip6)).Succeeded, $"the fabric cannot reach {c.Ip6}");
        Assert.True(a.Reaches(c.Ip), $"{a} lost IPv4 to {c}");
        if (mode == NetworkConfigs.Bridge)
        {
            // The pod's solicitation of the gateway reached the fabric with the NIC's MAC as its source link-layer
            // address (the node's NDP rule), so the fabric knows the pod's address at the NIC, as Azure requires.
            string learned = bed.InFabric("ip", "-6", "neigh", "show", "dev", "v1", a.Ip6).Stdout;
            Assert.Contains("lladdr 00:0d:3a:00:00:01", learned, StringComparison.Ordinal);
        }

        var listeners = new[] { b, c, a }.Select(pod => Listen(bed, pod)).ToList();
        AssertTcp(a.Exec, b);
        AssertTcp(a.Exec, c);
        AssertTcp(c.Exec, a);
        AssertTcp(node1.Exec, a);
        AssertTcp(node2.Exec, a);

        // A process inside keeps a namespace (and its veth) alive after `ip netns del`.
        foreach (var listener in listeners)
        {
            listener.Kill(entireProcessTree: true);
            listener.WaitForExit(5000);
        }

        var addresses = new[] { a, b, c }.ToDictionary(p => p, p => (V4: p.Address!, V6: p.Address6!));
        foreach (Pod pod in new[] { a, b, c })
        {
            SimNode node = pod.Node;
            string conf = node == node1 ? conf1 : conf2;
            node.Succeeds("del", pod, conf);
            node.Succeeds("del", pod, conf);
            node.AssertNothingLeftOf(pod, addresses[pod].V4);
            node.AssertNothingLeftOf(pod, addresses[pod].V6);
            Assert.True(bed.DeletePod(pod), $"the namespace of {pod.Namespace} could not be deleted");
        }

        node1.AssertNoVethLinks();
        node2.AssertNoVethLinks();
        Assert.Equal(before1, node1.Snapshot());
        Assert.Equal(before2, node2.Snapshot());
        Assert.Equal("1", node1.Exec("cat", "/proc/sys/net/ipv6/conf/all/forwarding").Stdout.Trim());
    }

    /// <summary>With <paramref name="inProcessIpam"/>, azure-vnet-ipam on the wireserver, else host-local delegated.</summary>
    [EndToEndTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Thirty_dual_stack_pods_in_parallel_get_distinct_addresses_of_both_families_and_leave_nothing_three_rounds_running(bool inProcessIpam)
    {
        const int Pods = 30;
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: Pods, dualStack: true);
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", inProcessIpam
            ? NetworkConfigs.AzureVnet(NetworkConfigs.Transparent)
            : NetworkConfigs.AzureVnetDualStack(NetworkConfigs.Transparent, node, Pods));
        string before = node.Snapshot();

        for (int round = 1; round <= 3; round++)
        {
            Pod[] pods = Enumerable.Range(1, Pods).Select(i => bed.CreatePod(node, $"r{round}-{i}")).ToArray();
            var failures = new ConcurrentQueue<string>();
            var options = new ParallelOptions { MaxDegreeOfParallelism = Pods };
            Parallel.ForEach(pods, options, pod =>
            {
                CommandResult add = node.Cni("add", pod, conf);
                if (!add.Succeeded)
                    failures.Enqueue($"round {round}: ADD {pod.Namespace}: {add}");
            });
            Assert.True(failures.IsEmpty, string.Join('\n', failures));

            // Each family's address as the pod's namespace holds it.
            var held = pods.ToDictionary(p => p, p => (
                V4: p.HeldAddresses(AddressFamily.InterNetwork).FirstOrDefault() ?? "",
                V6: p.HeldAddresses(AddressFamily.InterNetworkV6).FirstOrDefault() ?? ""));
            Assert.All(held, h => Assert.StartsWith("10.240.1.", h.Value.V4, StringComparison.Ordinal));
            Assert.All(held, h => Assert.StartsWith("fd00:240::1:", h.Value.V6, StringComparison.Ordinal));
            Assert.Equal(Pods, held.Values.Select(h => h.V4).Distinct().Count());
            Assert.Equal(Pods, held.Values.Select(h => h.V6).Distinct().Count());
            Assert.True(pods[0].Reaches(held[pods[^1]].V6), $"round {round}: {pods[0].Namespace} cannot reach {held[pods[^1]].V6}");

            Parallel.ForEach(pods, options, pod =>
            {
                CommandResult del = node.Cni("del", pod, conf);
                if (!del.Succeeded)
                    failures.Enqueue($"round {round}: DEL {pod.Namespace}: {del}");
            });
            Assert.True(failures.IsEmpty, string.Join('\n', failures));
            foreach (Pod pod in pods)
                Assert.True(bed.DeletePod(pod), $"the namespace of {pod.Namespace} could not be deleted");
            node.AssertNoVethLinks();
            Assert.Equal(before, node.Snapshot());
            foreach (Pod pod in pods)
                Assert.Empty(node.StateFilesMentioning(pod.ContainerId));
            if (inProcessIpam)
            {
                Assert.Empty(node.ReservedAddresses());
            }
            else
            {
                Assert.DoesNotContain(Directory.GetFiles(Path.Combine(node.Directory, "host-local", "azure")),
                    f => Path.GetFileName(f).StartsWith("10.240.", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("fd00:", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>One pod added and deleted, so the node's bridge exists before the snapshot.</summary>
    private static void SetUpNode(SimulatedAzure bed, SimNode node, string conf)
    {
        Pod warmUp = bed.CreatePod(node, "w" + node.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        node.Add(warmUp, conf);
        node.Succeeds("del", warmUp, conf);
        Assert.True(bed.DeletePod(warmUp));
        node.AssertNoVethLinks();
    }

    private static System.Diagnostics.Process Listen(SimulatedAzure bed, Pod pod)
    {
        var listener = bed.StartBackground("ip", "netns", "exec", pod.Namespace, "socat", $"TCP6-LISTEN:{Port},fork,reuseaddr", "SYSTEM:echo pong-" + pod.Namespace);
        for (int i = 0; i < 50 && !pod.Exec("ss", "-Hltn", $"sport = :{Port}").Stdout.Contains("LISTEN", StringComparison.Ordinal); i++)
            Thread.Sleep(100);
        return listener;
    }

    private static void AssertTcp(Func<string[], CommandResult> exec, Pod server)
    {
        CommandResult answer = exec(["socat", "-T", "3", "-", $"TCP6:[{server.Ip6}]:{Port},connect-timeout=3"]);
        Assert.True(answer.Succeeded, $"no TCP answer from [{server.Ip6}]:{Port}: {answer}");
        Assert.Equal("pong-" + server.Namespace, answer.Stdout.Trim());
    }
}
