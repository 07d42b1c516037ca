using System.Net;
using System.Text.Json;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>The whole life of pods on two simulated nodes, through the real libcni runtime, in both modes.</summary>
public sealed class DataPathTests
{
    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void Pods_reach_each_other_their_gateway_and_nodes_and_leave_nothing_after_delete(string mode)
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node1 = bed.Nodes[0], node2 = bed.Nodes[1];
        string conf1 = node1.WriteConflist("azure", NetworkConfigs.AzureVnet(mode));
        string conf2 = node2.WriteConflist("azure", NetworkConfigs.AzureVnet(mode));
        Pod a = bed.CreatePod(node1, "a"), b = bed.CreatePod(node1, "b"), c = bed.CreatePod(node2, "c");

        node1.Add(a, conf1);
        node1.Add(b, conf1);
        node2.Add(c, conf2);
        // The fabric lists 10.240.N.5.. as node N's secondaries; each pod gets one of its own node's.
        Assert.StartsWith("10.240.1.", a.Ip, StringComparison.Ordinal);
        Assert.StartsWith("10.240.1.", b.Ip, StringComparison.Ordinal);
        Assert.StartsWith("10.240.2.", c.Ip, StringComparison.Ordinal);
        Assert.NotEqual(a.Ip, b.Ip);
        foreach (Pod pod in new[] { a, b, c })
            Assert.NotEqual(pod.Node.PrimaryIp, pod.Ip);

        node1.Succeeds("check", a, conf1);
        node1.Succeeds("check", b, conf1);
        node2.Succeeds("check", c, conf2);

        Assert.True(a.Reaches(SimulatedAzure.Gateway), $"{a} cannot reach the gateway");
        Assert.True(a.Reaches(b.Ip), $"{a} cannot reach {b} on the same node");
        Assert.True(a.Reaches(c.Ip), $"{a} cannot reach {c} on the other node");
        Assert.True(c.Reaches(a.Ip), $"{c} cannot reach {a} on the other node");
        Assert.True(a.Reaches(node1.PrimaryIp), $"{a} cannot reach its node");
        Assert.True(a.Reaches(node2.PrimaryIp), $"{a} cannot reach the other node");
        Assert.True(node1.Reaches(a.Ip), $"node 1 cannot reach {a}");
        Assert.True(node2.Reaches(a.Ip), $"node 2 cannot reach {a}");

        IPAddress addressA = a.Address!;
        node1.Succeeds("del", a, conf1);
        node1.Succeeds("del", a, conf1);
        node1.AssertNothingLeftOf(a, addressA);
        Assert.True(b.Reaches(c.Ip), $"{b} lost {c} when {a} was deleted");

        IPAddress addressB = b.Address!, addressC = c.Address!;
        node1.Succeeds("del", b, conf1);
        node2.Succeeds("del", c, conf2);
        node1.Succeeds("del", b, conf1);
        node2.Succeeds("del", c, conf2);
        node1.AssertNothingLeftOf(b, addressB);
        node2.AssertNothingLeftOf(c, addressC);
        foreach (Pod pod in new[] { a, b, c })
            Assert.True(bed.DeletePod(pod), $"the namespace of {pod.Namespace} could not be deleted");
        node1.AssertNoVethLinks();
        node2.AssertNoVethLinks();
    }

    [EndToEndFact]
    public void Bridge_mode_moves_the_node_address_and_default_route_to_the_bridge_and_the_node_keeps_the_fabric()
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Bridge));
        Pod pod = bed.CreatePod(node, "a");
        node.Add(pod, conf);

        using JsonDocument addresses = JsonDocument.Parse(node.Exec("ip", "-j", "-4", "addr", "show", "dev", NetworkConfigs.BridgeName).Stdout);
        Assert.Contains(addresses.RootElement[0].GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == node.PrimaryIp);
        using JsonDocument routes = JsonDocument.Parse(node.Exec("ip", "-j", "-4", "route", "show", "default").Stdout);
        JsonElement route = Assert.Single(routes.RootElement.EnumerateArray());
        Assert.Equal(NetworkConfigs.BridgeName, route.GetProperty("dev").GetString());
        Assert.Equal(SimulatedAzure.Gateway, route.GetProperty("gateway").GetString());
        Assert.True(node.Reaches(SimulatedAzure.Gateway), "the node lost the fabric's gateway");
        Assert.True(node.Reaches(bed.Nodes[1].PrimaryIp), "the node lost the other node");
        Assert.True(pod.Reaches(bed.Nodes[1].PrimaryIp), $"{pod} cannot reach the other node");

        node.Succeeds("del", pod, conf);
        // DEL never tears the network down (as upstream): the node keeps its address on the bridge and the fabric.
        Assert.True(node.Reaches(SimulatedAzure.Gateway), "the node lost the fabric after DEL");
    }

    [EndToEndFact]
    public void On_a_prepared_node_traffic_leaving_the_vnet_takes_the_node_address_and_traffic_inside_keeps_the_pod_address()
    {
        // simnet prepares the node with host-check --fix: MASQUERADE of everything not bound for 10.240.0.0/16.
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 2);
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Transparent));
        Pod pod = bed.CreatePod(node, "a");
        node.Add(pod, conf);

        // A listener in the fabric (on every address it holds) that answers with the source it sees.
        bed.StartBackground("ip", "netns", "exec", bed.FabricNamespace, "socat", "TCP-LISTEN:9000,fork,reuseaddr", "SYSTEM:echo $SOCAT_PEERADDR");
        Assert.True(WaitUntil(() => bed.InFabric("ss", "-Hltn", "sport = :9000").Stdout.Contains("LISTEN", StringComparison.Ordinal)), "the fabric's listener did not start");
        string SeenFrom(string address)
        {
            CommandResult answer = pod.Exec("socat", "-T", "3", "-", $"TCP:{address}:9000,connect-timeout=3");
            Assert.True(answer.Succeeded, $"{pod} cannot connect to {address}:9000: {answer}");
            return answer.Stdout.Trim();
        }

        Assert.Equal(pod.Ip, SeenFrom(SimulatedAzure.Gateway));
        Assert.Equal(node.PrimaryIp, SeenFrom(SimulatedAzure.Wireserver));

        node.Succeeds("del", pod, conf);
    }

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

    [EndToEndFact]
    public void Check_names_the_missing_address_or_host_route()
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Transparent));
        Pod a = bed.CreatePod(node, "a"), b = bed.CreatePod(node, "b");
        node.Add(a, conf);
        node.Add(b, conf);
        node.Succeeds("check", a, conf);
        node.Succeeds("check", b, conf);

        Shell.Check(["ip", "-n", a.Namespace, "addr", "del", a.Ip + "/16", "dev", "eth0"]);
        CommandResult noAddress = node.Cni("check", a, conf);
        Assert.False(noAddress.Succeeded, "CHECK passed without the pod's address");
        Assert.Contains(a.Ip, noAddress.Stderr + noAddress.Stdout, StringComparison.Ordinal);
        Assert.Contains("address", (noAddress.Stderr + noAddress.Stdout).ToLowerInvariant(), StringComparison.Ordinal);

        Shell.Check(["ip", "-n", node.Namespace, "route", "del", b.Ip + "/32"]);
        CommandResult noRoute = node.Cni("check", b, conf);
        Assert.False(noRoute.Succeeded, "CHECK passed without the pod's host route");
        Assert.Contains(b.Ip, noRoute.Stderr + noRoute.Stdout, StringComparison.Ordinal);
        Assert.Contains("route", (noRoute.Stderr + noRoute.Stdout).ToLowerInvariant(), StringComparison.Ordinal);

        node.Succeeds("del", a, conf);
        node.Succeeds("del", b, conf);
        Assert.Empty(node.StateFilesMentioning(a.ContainerId));
        Assert.Empty(node.StateFilesMentioning(b.ContainerId));
    }
}
