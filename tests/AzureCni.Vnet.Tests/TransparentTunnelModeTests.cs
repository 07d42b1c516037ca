namespace AzureCni.Vnet.Tests;

/// <summary>
/// transparent-tunnel in namespaces: the fabric namespace hairpins pod traffic back to the node (forwarding on, a /32
/// route per pod via the node, as the Azure fabric routes a NIC's secondaries), and an nft counter there sees every
/// packet between two pods of the one node.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class TransparentTunnelModeTests
{
    [RootFact]
    public void PodToPod_OnOneNode_GoesThroughTheFabric_AndTheLastDelRestoresTheNode()
    {
        using var node = new VnetNode();
        string fabric = node.Fabric;
        VnetNode.Run("ip", "netns", "exec", node.Node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        VnetNode.Run("ip", "netns", "exec", fabric, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.fab0.send_redirects=0");
        foreach (string pod in (string[])["10.240.0.5", "10.240.0.6"])
            VnetNode.Run("ip", "-n", fabric, "route", "add", pod + "/32", "via", "10.240.0.4", "dev", "fab0");
        VnetNode.Run("ip", "netns", "exec", fabric, "nft", "add table ip fab; add chain ip fab relay { type filter hook forward priority 0; }; "
            + "add rule ip fab relay ip saddr 10.240.0.5 ip daddr 10.240.0.6 counter; add rule ip fab relay ip saddr 10.240.0.6 ip daddr 10.240.0.5 counter");
        string before = Snapshot(node);

        string pod1 = node.AddPod("pod1"), pod2 = node.AddPod("pod2");
        string config = node.Config("transparent-tunnel");
        var add1 = node.Plugin("ADD", "tunnel0000000001", pod1, config);
        Assert.True(add1.Exit == 0, add1.Stdout + add1.Stderr);
        var add2 = node.Plugin("ADD", "tunnel0000000002", pod2, config);
        Assert.True(add2.Exit == 0, add2.Stdout + add2.Stderr);
        Assert.Contains("fwmark 0x3 lookup 101", VnetNode.Run("ip", "-n", node.Node, "-4", "rule"));
        Assert.Contains("default via 10.240.0.1 dev eth0", VnetNode.Run("ip", "-n", node.Node, "-4", "route", "show", "table", "101"));
        Assert.Equal(0, node.Plugin("CHECK", "tunnel0000000001", pod1, WithPrev(config, add1.Stdout)).Exit);

        Assert.True(VnetNode.Ping(pod1, "10.240.0.6"), "pod1 -> pod2 through the fabric");
        Assert.True(VnetNode.Ping(pod2, "10.240.0.5"), "pod2 -> pod1 through the fabric");
        string counters = VnetNode.Run("ip", "netns", "exec", fabric, "nft", "list", "chain", "ip", "fab", "relay");
        Assert.DoesNotContain("packets 0 ", counters);
        Assert.True(VnetNode.Ping(pod1, "10.240.0.4"), "pod -> node");
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.5"), "node -> pod");

        // The fabric's security rule: dropped there, pod to pod on the node breaks; the gateway still answers.
        VnetNode.Run("ip", "netns", "exec", fabric, "nft", "add rule ip fab relay ip saddr 10.240.0.5 ip daddr 10.240.0.6 drop");
        Assert.False(VnetNode.Ping(pod1, "10.240.0.6"), "pod1 -> pod2 dropped in the fabric");
        Assert.True(VnetNode.Ping(pod1, "10.240.0.1"), "pod -> gateway");

        Assert.Equal(0, node.Plugin("DEL", "tunnel0000000001", pod1, config).Exit);
        Assert.Contains("fwmark 0x3 lookup 101", VnetNode.Run("ip", "-n", node.Node, "-4", "rule"));
        Assert.Equal(0, node.Plugin("DEL", "tunnel0000000002", pod2, config).Exit);
        node.DeleteNamespace(pod1);
        node.DeleteNamespace(pod2);
        for (int i = 0; i < 100 && Snapshot(node) != before; i++)
            Thread.Sleep(20);
        Assert.Equal(before, Snapshot(node));
    }

    private static string Snapshot(VnetNode node) => node.Snapshot() + "\n"
        + VnetNode.Run("ip", "-n", node.Node, "rule") + "\n"
        + VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset");

    private static string WithPrev(string config, string result) => config[..^1] + ",\"prevResult\":" + result + "}";
}
