using System.Text.Json;
using AzureCni.Vnet.Linux;

namespace AzureCni.Vnet.Tests;

[Trait("Category", "Privileged")]
public sealed class BridgeModeTests
{
    private const string Container = "b41d9e0000000000000000000001";

    public static TheoryData<string> NodeSteps => new(BridgeNode.Steps);

    [RootFact]
    public void Add_MovesTheNodesAddressAndDefaultRouteToTheBridge_AndConnects()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("bridge");
        int eth0 = VnetNode.IpJson(node.Node, "link", "show", "eth0")[0].GetProperty("ifindex").GetInt32();
        string bridge = "azure" + eth0;

        var add = node.Plugin("ADD", Container, pod, config);

        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        JsonElement bridgeAddr = VnetNode.IpJson(node.Node, "addr", "show", "dev", bridge)[0];
        Assert.Contains(bridgeAddr.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "10.240.0.4" && a.GetProperty("prefixlen").GetInt32() == 16);
        Assert.Contains("default via 10.240.0.1 dev " + bridge, VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        Assert.DoesNotContain("10.240.0.4", VnetNode.Run("ip", "-n", node.Node, "addr", "show", "dev", "eth0"));
        Assert.Equal(bridge, VnetNode.IpJson(node.Node, "link", "show", "eth0")[0].GetProperty("master").GetString());
        Assert.Equal(VnetNode.IpJson(node.Node, "link", "show", "eth0")[0].GetProperty("address").GetString(),
            bridgeAddr.GetProperty("address").GetString());

        JsonElement result = add.Json;
        string hostVeth = result.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        string podMac = result.GetProperty("interfaces")[1].GetProperty("mac").GetString()!;
        Assert.Equal("10.240.0.5/16", result.GetProperty("ips")[0].GetProperty("address").GetString());
        Assert.Equal("10.240.0.1", result.GetProperty("ips")[0].GetProperty("gateway").GetString());
        Assert.Equal(bridge, VnetNode.IpJson(node.Node, "link", "show", hostVeth)[0].GetProperty("master").GetString());
        Assert.Contains("default via 10.240.0.1 dev eth0", VnetNode.Run("ip", "-n", pod, "-4", "route"));
        Assert.Contains($"10.240.0.5 lladdr {podMac} PERMANENT", VnetNode.Run("ip", "-n", node.Node, "neigh", "show", "dev", bridge));
        Assert.Contains($"azcni:{Container}:eth0", VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));

        Assert.True(VnetNode.Ping(pod, "10.240.0.4"), "pod -> node");
        Assert.True(VnetNode.Ping(node.Fabric, "10.240.0.4"), "fabric -> node, through the bridge");
        Assert.True(VnetNode.Ping(pod, "10.240.0.1"), "pod -> fabric (MAC rewritten out, delivered back by address)");

        var check = node.Plugin("CHECK", Container, pod, TransparentModeTests.WithPrev(config, add.Stdout));
        Assert.True(check.Exit == 0, check.Stdout + check.Stderr);

        // A second pod reuses the bridge.
        string pod2 = node.AddPod("pod2");
        var add2 = node.Plugin("ADD", "second0000000002", pod2, config);
        Assert.True(add2.Exit == 0, add2.Stdout + add2.Stderr);
        Assert.True(VnetNode.Ping(pod2, "10.240.0.5"), "pod2 -> pod");

        var del = node.Plugin("DEL", Container, pod, config);
        Assert.True(del.Exit == 0, del.Stdout + del.Stderr);
        Assert.DoesNotContain("10.240.0.5 ", VnetNode.Run("ip", "-n", node.Node, "neigh", "show", "dev", bridge));
        Assert.DoesNotContain($"azcni:{Container}:eth0", VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));
        VnetNode.AssertPodInterfaceDeconfigured(pod);
        Assert.Equal(0, node.Plugin("DEL", Container, pod, config).Exit);
        // The veth goes with the namespace, in the kernel's background teardown.
        node.DeleteNamespace(pod);
        node.AssertLinkGone(hostVeth);
        // The node keeps its connectivity after the pods leave.
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.1"));
    }

    [RootTheory]
    [MemberData(nameof(NodeSteps))]
    public void FailureDuringFirstAdd_LeavesTheNodeExactlyAsBefore(string step)
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("bridge");
        string before = node.Snapshot();

        var add = node.Plugin("ADD", Container, pod, config, failAt: step);

        Assert.Equal(1, add.Exit);
        Assert.Contains("injected failure at " + step, add.Stdout);
        Assert.Equal(before, node.Snapshot());
        Assert.DoesNotContain("eth0", VnetNode.Run("ip", "-n", pod, "link"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet-ipam.json"));
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.1"), "the node still reaches the fabric");

        var retry = node.Plugin("ADD", Container, pod, config);
        Assert.True(retry.Exit == 0, retry.Stdout + retry.Stderr);
    }

    [RootTheory]
    [InlineData("veth")]
    [InlineData("container-address")]
    [InlineData("container-routes")]
    [InlineData("bridge-neighbor")]
    [InlineData("container-rules")]
    [InlineData("endpoint-state")]
    public void FailureAfterNodeSetup_RemovesTheEndpointOnly(string step)
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("bridge");

        var add = node.Plugin("ADD", Container, pod, config, failAt: step);

        Assert.Equal(1, add.Exit);
        Assert.DoesNotContain("azv", VnetNode.Run("ip", "-n", node.Node, "link"));
        Assert.DoesNotContain("10.240.0.5", VnetNode.Run("ip", "-n", node.Node, "neigh"));
        Assert.DoesNotContain(Container, VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet.json"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet-ipam.json"));
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.1"));
    }

    [RootFact]
    public void ConcurrentFirstAdds_SetUpTheNodeOnce_AndAllConnect()
    {
        using var node = new VnetNode();
        string config = node.Config("bridge");
        string[] pods = [.. Enumerable.Range(1, 4).Select(i => node.AddPod("p" + i))];

        var outcomes = pods.Select((pod, i) => Task.Run(() => node.Plugin("ADD", "par00000000000" + i, pod, config))).ToArray();
        Task.WaitAll(outcomes);

        Assert.All(outcomes, o => Assert.True(o.Result.Exit == 0, o.Result.Stdout));
        var addresses = outcomes.Select(o => o.Result.Json.GetProperty("ips")[0].GetProperty("address").GetString()).ToList();
        Assert.Equal(4, addresses.Distinct().Count());
        Assert.All(pods, pod => Assert.True(VnetNode.Ping(pod, "10.240.0.4"), pod + " -> node"));
        Assert.Single(VnetNode.IpJson(node.Node, "-4", "route", "show", "default").EnumerateArray());
    }

    [RootFact]
    public void Gc_RemovesUnlistedEndpointsAndLeftoverRules()
    {
        using var node = new VnetNode();
        string pod1 = node.AddPod("pod1"), pod2 = node.AddPod("pod2");
        string config = node.Config("bridge", "1.1.0");
        Assert.Equal(0, node.Plugin("ADD", "keep000000000001", pod1, config).Exit);
        var drop = node.Plugin("ADD", "drop000000000002", pod2, config);
        Assert.Equal(0, drop.Exit);
        string dropVeth = drop.Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "add", "rule", "bridge", "azure-cni", "prerouting", "counter", "comment", "\"azcni:ghost0000000003:eth0\"");

        var gc = node.Plugin("GC", "", null, config[..^1] + """, "cni.dev/valid-attachments":[{"containerID":"keep000000000001","ifname":"eth0"}]}""");

        Assert.True(gc.Exit == 0, gc.Stdout + gc.Stderr);
        string rules = VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset");
        Assert.DoesNotContain("drop000000000002", rules);
        Assert.DoesNotContain("ghost0000000003", rules);
        Assert.Contains("keep000000000001", rules);
        Assert.DoesNotContain(dropVeth, VnetNode.Run("ip", "-n", node.Node, "link"));
        Assert.DoesNotContain("10.240.0.6 ", VnetNode.Run("ip", "-n", node.Node, "neigh"));
        Assert.DoesNotContain("drop000000000002", node.StateText("azure-vnet-ipam.json"));
        Assert.True(VnetNode.Ping(pod1, "10.240.0.4"));
    }

    [RootFact]
    public void Check_NamesMissingRules()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("bridge");
        var add = node.Plugin("ADD", Container, pod, config);
        Assert.Equal(0, add.Exit);

        VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "flush", "table", "bridge", "azure-cni");
        var check = node.Plugin("CHECK", Container, pod, TransparentModeTests.WithPrev(config, add.Stdout));

        Assert.Equal(1, check.Exit);
        Assert.Contains("layer-2 rules", check.Stdout);
    }
}
