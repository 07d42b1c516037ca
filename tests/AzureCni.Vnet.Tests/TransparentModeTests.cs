using System.Text.Json;

namespace AzureCni.Vnet.Tests;

[Trait("Category", "Privileged")]
public sealed class TransparentModeTests
{
    private const string Container = "c0ffee0000000000000000000001";

    [RootFact]
    public void Add_Check_Del_DelAgain_WithConnectivity()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent");

        var add = node.Plugin("ADD", Container, pod, config, cniArgs: "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        JsonElement result = add.Json;
        string hostVeth = result.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        Assert.Matches("^azv[0-9a-f]{11}$", hostVeth);
        Assert.Equal("aa:aa:aa:aa:aa:aa", result.GetProperty("interfaces")[0].GetProperty("mac").GetString());
        Assert.Equal("eth0", result.GetProperty("interfaces")[1].GetProperty("name").GetString());
        Assert.Equal(VnetNode.NetnsPath(pod), result.GetProperty("interfaces")[1].GetProperty("sandbox").GetString());
        var ip = result.GetProperty("ips")[0];
        Assert.Equal("10.240.0.5/16", ip.GetProperty("address").GetString());
        Assert.Equal(1, ip.GetProperty("interface").GetInt32());
        Assert.Equal("169.254.1.1", result.GetProperty("routes")[0].GetProperty("gw").GetString());
        Assert.Equal("168.63.129.16", result.GetProperty("dns").GetProperty("nameservers")[0].GetString());

        // Inside: no subnet route, 169.254.1.1 on-link, default via it, its neighbour entry.
        string podRoutes = VnetNode.Run("ip", "-n", pod, "-4", "route");
        Assert.DoesNotContain("10.240.0.0/16", podRoutes);
        Assert.Contains("default via 169.254.1.1 dev eth0", podRoutes);
        Assert.Contains("169.254.1.1 dev eth0", podRoutes);
        Assert.Contains("lladdr aa:aa:aa:aa:aa:aa", VnetNode.Run("ip", "-n", pod, "neigh", "show", "169.254.1.1"));
        // Host: /32 route to the veth, proxy ARP on it, MTU of eth0.
        Assert.Contains($"10.240.0.5 dev {hostVeth}", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        Assert.Equal("1", VnetNode.Run("ip", "netns", "exec", node.Node, "cat", $"/proc/sys/net/ipv4/conf/{hostVeth}/proxy_arp").Trim());
        Assert.Equal(VnetNode.IpJson(node.Node, "link", "show", "eth0")[0].GetProperty("mtu").GetInt32(),
            VnetNode.IpJson(node.Node, "link", "show", hostVeth)[0].GetProperty("mtu").GetInt32());

        Assert.True(VnetNode.Ping(pod, "10.240.0.4"), "pod -> node");
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.5"), "node -> pod");

        var check = node.Plugin("CHECK", Container, pod, WithPrev(config, add.Stdout), cniArgs: "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
        Assert.True(check.Exit == 0, check.Stdout + check.Stderr);
        Assert.Equal("", check.Stdout);

        var del = node.Plugin("DEL", Container, pod, config, cniArgs: "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
        Assert.True(del.Exit == 0, del.Stdout + del.Stderr);
        Assert.DoesNotContain("10.240.0.5", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        VnetNode.AssertPodInterfaceDeconfigured(pod);
        Assert.DoesNotContain(Container, node.StateText("azure-vnet-ipam.json"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet.json"));

        var again = node.Plugin("DEL", Container, pod, config, cniArgs: "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0");
        Assert.True(again.Exit == 0, again.Stdout + again.Stderr);

        // DEL left the veth to the namespace's teardown.
        node.DeleteNamespace(pod);
        node.AssertLinkGone(hostVeth);
        Assert.Equal(0, node.Plugin("DEL", Container, null, config).Exit);

        // One log line per command, with its outcome.
        string log = File.ReadAllText(node.LogFile);
        Assert.Contains($"ADD container={Container} ifname=eth0 network=azure outcome=ok", log);
        Assert.Contains($"DEL container={Container} ifname=eth0 network=azure outcome=ok", log);
    }

    [RootFact]
    public void Del_WithoutNetns_StillReleasesTheAddress()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent");
        Assert.Equal(0, node.Plugin("ADD", Container, pod, config).Exit);
        VnetNode.Run("ip", "netns", "del", pod);

        var del = node.Plugin("DEL", Container, null, config);

        Assert.True(del.Exit == 0, del.Stdout + del.Stderr);
        Assert.DoesNotContain(Container, node.StateText("azure-vnet-ipam.json"));
        Assert.DoesNotContain("10.240.0.5", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
    }

    [RootFact]
    public void DelWithTheNamespaceKept_CheckNamesWhatIsMissing_AndAddAgainReplacesTheLeftover()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent", extra: """, "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}""");
        var add = node.Plugin("ADD", Container, pod, config);
        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        string hostVeth = add.Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;

        Assert.Equal(0, node.Plugin("DEL", Container, pod, config).Exit);

        VnetNode.AssertPodInterfaceDeconfigured(pod);
        Assert.DoesNotContain("10.240.0.5", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        Assert.DoesNotContain(Container, VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet-ipam.json"));
        var check = node.Plugin("CHECK", Container, pod, WithPrev(config, add.Stdout));
        Assert.Equal(1, check.Exit);
        Assert.Contains($"no endpoint for container {Container} interface eth0 on network azure", check.Stdout);
        Assert.Equal(0, node.Plugin("DEL", Container, pod, config).Exit);

        // podman network connect after disconnect: the same container and namespace again.
        var again = node.Plugin("ADD", Container, pod, config);
        Assert.True(again.Exit == 0, again.Stdout + again.Stderr);
        Assert.Equal(hostVeth, again.Json.GetProperty("interfaces")[0].GetProperty("name").GetString());
        Assert.Equal(0, node.Plugin("CHECK", Container, pod, WithPrev(config, again.Stdout)).Exit);
        Assert.True(VnetNode.Ping(pod, "10.240.0.4"), "pod -> node after the leftover was replaced");
    }

    [RootFact]
    public void NewSandboxOfTheSamePod_WhileTheOldVethDies_GetsItsOwnVeth()
    {
        using var node = new VnetNode();
        string config = node.Config("transparent");
        const string args = "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0";
        string old = node.AddPod("old");
        var first = node.Plugin("ADD", "sandbox0000000001", old, config, cniArgs: args);
        Assert.True(first.Exit == 0, first.Stdout + first.Stderr);
        string oldVeth = first.Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        Assert.Equal(0, node.Plugin("DEL", "sandbox0000000001", old, config, cniArgs: args).Exit);
        node.DeleteNamespace(old);

        string next = node.AddPod("new");
        var second = node.Plugin("ADD", "sandbox0000000002", next, config, cniArgs: args);

        Assert.True(second.Exit == 0, second.Stdout + second.Stderr);
        Assert.NotEqual(oldVeth, second.Json.GetProperty("interfaces")[0].GetProperty("name").GetString());
        Assert.True(VnetNode.Ping(next, "10.240.0.4"), "new sandbox -> node");
        node.AssertLinkGone(oldVeth);
    }

    [RootFact]
    public void Add_IntoANamespaceWhoseIfNameIsNotOurs_Fails()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        VnetNode.Run("ip", "-n", pod, "link", "add", "eth0", "type", "veth", "peer", "name", "other0");

        var add = node.Plugin("ADD", Container, pod, node.Config("transparent"));

        Assert.Equal(1, add.Exit);
        Assert.Contains("already has interface eth0", add.Stdout);
        Assert.Equal("other0", VnetNode.IpJson(pod, "link", "show", "eth0")[0].GetProperty("link").GetString());
    }

    [RootFact]
    public void Gc_RemovesTheVethsDelLeftInNamespacesNeverDeleted()
    {
        using var node = new VnetNode();
        string kept = node.AddPod("kept"), live = node.AddPod("live");
        string config = node.Config("transparent");
        var gone = node.Plugin("ADD", "gone000000000001", kept, config);
        var stays = node.Plugin("ADD", "stay000000000002", live, config);
        Assert.Equal(0, gone.Exit);
        Assert.Equal(0, stays.Exit);
        string goneVeth = gone.Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        Assert.Equal(0, node.Plugin("DEL", "gone000000000001", kept, config).Exit);
        Assert.Contains(goneVeth, VnetNode.Run("ip", "-n", node.Node, "link"));

        string gcConfig = config.Replace("\"1.0.0\"", "\"1.1.0\"").TrimEnd()[..^1]
            + """, "cni.dev/valid-attachments":[{"containerID":"stay000000000002","ifname":"eth0"}]}""";
        var gc = node.Plugin("GC", "", null, gcConfig);

        Assert.True(gc.Exit == 0, gc.Stdout + gc.Stderr);
        Assert.DoesNotContain(goneVeth, VnetNode.Run("ip", "-n", node.Node, "link"));
        Assert.DoesNotContain("eth0", VnetNode.Run("ip", "-n", kept, "link"));
        Assert.Equal(0, node.Plugin("CHECK", "stay000000000002", live, WithPrev(config, stays.Stdout)).Exit);
    }

    [RootFact]
    public void SecondAdd_SameContainerAndIfName_FailsAndKeepsTheFirst()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent");
        var first = node.Plugin("ADD", Container, pod, config);
        Assert.Equal(0, first.Exit);

        var second = node.Plugin("ADD", Container, pod, config);

        Assert.Equal(1, second.Exit);
        Assert.Contains("already has interface eth0", second.Stdout);
        var check = node.Plugin("CHECK", Container, pod, WithPrev(config, first.Stdout));
        Assert.True(check.Exit == 0, check.Stdout);
        Assert.True(VnetNode.Ping(pod, "10.240.0.4"));
    }

    [RootTheory]
    [InlineData("ipam")]
    [InlineData("veth")]
    [InlineData("host-routes")]
    [InlineData("container-address")]
    [InlineData("container-routes")]
    [InlineData("port-mappings")]
    [InlineData("endpoint-state")]
    public void FailedAdd_UnwindsEverything(string step)
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent", extra: """, "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}""");
        string before = node.Snapshot();

        var add = node.Plugin("ADD", Container, pod, config, failAt: step);

        Assert.Equal(1, add.Exit);
        Assert.Contains("injected failure at " + step, add.Stdout);
        Assert.Equal(before, node.Snapshot());
        Assert.DoesNotContain("eth0", VnetNode.Run("ip", "-n", pod, "link"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet-ipam.json"));
        Assert.DoesNotContain(Container, node.StateText("azure-vnet.json"));
        Assert.DoesNotContain(Container, VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));

        // The failure left nothing in the way of the next ADD.
        var retry = node.Plugin("ADD", Container, pod, config);
        Assert.True(retry.Exit == 0, retry.Stdout + retry.Stderr);
    }

    [RootFact]
    public void Check_NamesTheMissingHostRouteAndAddress()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent");
        var add = node.Plugin("ADD", Container, pod, config);
        Assert.Equal(0, add.Exit);
        string hostVeth = add.Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;

        VnetNode.Run("ip", "-n", node.Node, "route", "del", "10.240.0.5/32");
        var noRoute = node.Plugin("CHECK", Container, pod, WithPrev(config, add.Stdout));
        Assert.Equal(1, noRoute.Exit);
        Assert.Contains($"host route 10.240.0.5/32 via {hostVeth} missing", noRoute.Stdout);
        Assert.True(noRoute.Json.GetProperty("code").GetInt32() >= 100);

        VnetNode.Run("ip", "-n", node.Node, "route", "add", "10.240.0.5/32", "dev", hostVeth);
        VnetNode.Run("ip", "-n", pod, "addr", "del", "10.240.0.5/16", "dev", "eth0");
        var noAddress = node.Plugin("CHECK", Container, pod, WithPrev(config, add.Stdout));
        Assert.Equal(1, noAddress.Exit);
        Assert.Contains("address 10.240.0.5/16 missing on container interface eth0", noAddress.Stdout);
    }

    [RootFact]
    public void Gc_RemovesAttachmentsNotListedAndLeftovers()
    {
        using var node = new VnetNode();
        string pod1 = node.AddPod("pod1"), pod2 = node.AddPod("pod2");
        string config = node.Config("transparent");
        var keep = node.Plugin("ADD", "keep000000000001", pod1, config);
        var drop = node.Plugin("ADD", "drop000000000002", pod2, config);
        Assert.Equal(0, keep.Exit);
        Assert.Equal(0, drop.Exit);
        string dropVeth = drop.Json.GetProperty("interfaces")[0].GetProperty("name").GetString()!;
        // A veth no attachment owns (say the state was lost).
        VnetNode.Run("ip", "-n", node.Node, "link", "add", "azv0123456789a", "type", "veth", "peer", "name", "azvleft2");

        string gcConfig = config.TrimEnd()[..^1] + """, "cni.dev/valid-attachments":[{"containerID":"keep000000000001","ifname":"eth0"}]}""";
        var gc = node.Plugin("GC", "", null, gcConfig.Replace("\"1.0.0\"", "\"1.1.0\""));

        Assert.True(gc.Exit == 0, gc.Stdout + gc.Stderr);
        string links = VnetNode.Run("ip", "-n", node.Node, "link");
        Assert.DoesNotContain(dropVeth, links);
        Assert.DoesNotContain("azv0123456789a", links);
        Assert.DoesNotContain("10.240.0.6", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        Assert.DoesNotContain("drop000000000002", node.StateText("azure-vnet.json"));
        Assert.DoesNotContain("drop000000000002", node.StateText("azure-vnet-ipam.json"));
        var check = node.Plugin("CHECK", "keep000000000001", pod1, WithPrev(config, keep.Stdout));
        Assert.True(check.Exit == 0, check.Stdout);
        Assert.True(VnetNode.Ping(pod1, "10.240.0.4"));
    }

    [RootTheory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.1.0")]
    public void Add_AnswersInTheConfigsVersion(string version)
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");

        var add = node.Plugin("ADD", Container, pod, node.Config("transparent", version));

        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        Assert.Equal(version, add.Json.GetProperty("cniVersion").GetString());
        Assert.Equal(2, add.Json.GetProperty("interfaces").GetArrayLength());
        Assert.Equal(0, node.Plugin("DEL", Container, pod, node.Config("transparent", version)).Exit);
    }

    [RootFact]
    public void PortMappingsAndDns_ReachTheRulesAndTheResult_AndDelRemovesThem()
    {
        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string config = node.Config("transparent", extra: """
            , "dns":{"nameservers":["10.0.0.10"],"search":["svc.cluster.local"]},
              "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"},{"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"10.240.0.4"}],
                               "dns":{"servers":["10.0.0.11"],"options":["ndots:5"]}}
            """);

        var add = node.Plugin("ADD", Container, pod, config);

        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        JsonElement dns = add.Json.GetProperty("dns");
        Assert.Equal("10.0.0.11", dns.GetProperty("nameservers")[0].GetString());
        Assert.Equal("svc.cluster.local", dns.GetProperty("search")[0].GetString());
        Assert.Equal("ndots:5", dns.GetProperty("options")[0].GetString());
        string rules = VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "table", "ip", "azure-cni");
        Assert.Contains("dnat to 10.240.0.5:80", rules);
        Assert.Contains("ip daddr 10.240.0.4 udp dport 5353 dnat to 10.240.0.5:53", rules);
        Assert.Equal(0, node.Plugin("CHECK", Container, pod, WithPrev(config, add.Stdout)).Exit);

        VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "flush", "table", "ip", "azure-cni");
        var check = node.Plugin("CHECK", Container, pod, WithPrev(config, add.Stdout));
        Assert.Equal(1, check.Exit);
        Assert.Contains("port-mapping rules", check.Stdout);

        Assert.Equal(0, node.Plugin("ADD", "other0000000001", node.AddPod("pod2"), config).Exit);
        Assert.Equal(0, node.Plugin("DEL", "other0000000001", null, config).Exit);
        Assert.DoesNotContain("other0000000001", VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));
    }

    [RootFact]
    public void Add_Del_WithADelegatedIpamPlugin()
    {
        if (!File.Exists("/usr/lib/cni/host-local"))
        {
            Assert.Fail("the reference host-local plugin (containernetworking-plugins) is not installed");
        }

        using var node = new VnetNode();
        string pod = node.AddPod("pod");
        string dataDir = Path.Combine(node.StateDir, "host-local");
        string config = "{\"cniVersion\":\"1.0.0\",\"name\":\"azure\",\"type\":\"azure-vnet\",\"mode\":\"transparent\","
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.240.0.0/16\",\"rangeStart\":\"10.240.0.50\",\"rangeEnd\":\"10.240.0.60\",\"dataDir\":\"" + dataDir + "\"}}";

        var add = node.Plugin("ADD", Container, pod, config, cniPath: "/usr/lib/cni");

        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        Assert.Equal("10.240.0.50/16", add.Json.GetProperty("ips")[0].GetProperty("address").GetString());
        Assert.True(File.Exists(Path.Combine(dataDir, "azure", "10.240.0.50")));
        Assert.True(VnetNode.Ping(pod, "10.240.0.4"));
        Assert.False(File.Exists(Path.Combine(node.StateDir, "azure-vnet-ipam.json")), "azure-vnet-ipam was not used");

        var del = node.Plugin("DEL", Container, pod, config, cniPath: "/usr/lib/cni");

        Assert.True(del.Exit == 0, del.Stdout + del.Stderr);
        Assert.False(File.Exists(Path.Combine(dataDir, "azure", "10.240.0.50")));
    }

    internal static string WithPrev(string config, string result) =>
        config.TrimEnd()[..^1] + ", \"prevResult\":" + result + "}";
}
