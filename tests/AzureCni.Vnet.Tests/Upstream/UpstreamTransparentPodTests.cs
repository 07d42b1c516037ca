namespace AzureCni.Vnet.Tests.Upstream;

/// <summary>
/// A pod upstream Azure CNI made in transparent mode, built in the simulated node with `ip` as upstream's
/// endpoint_linux.go leaves it, with upstream's state files beside it: this project's plugins take over.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class UpstreamTransparentPodTests
{
    private const string Cid = "7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a2918070f1e2d3c4b5a6978";
    private const string HostVeth = "azv28bc200b40b";

    private static string UpstreamPod(VnetNode node)
    {
        string pod = node.AddPod("up");
        // Host end named by upstream's scheme with its fixed MAC; the pod end renamed eth0 with the stored MAC.
        VnetNode.Run("ip", "-n", node.Node, "link", "add", HostVeth, "address", "aa:aa:aa:aa:aa:aa", "type", "veth",
            "peer", "name", "eth0", "address", "02:bd:0a:f0:01:17", "netns", pod);
        VnetNode.Run("ip", "-n", node.Node, "link", "set", HostVeth, "up");
        VnetNode.Run("ip", "netns", "exec", node.Node, "sh", "-c", $"echo 1 > /proc/sys/net/ipv4/conf/{HostVeth}/proxy_arp");
        VnetNode.Run("ip", "-n", node.Node, "route", "add", "10.240.0.6/32", "dev", HostVeth);
        VnetNode.Run("ip", "-n", pod, "link", "set", "eth0", "up");
        VnetNode.Run("ip", "-n", pod, "addr", "add", "10.240.0.6/16", "dev", "eth0");
        VnetNode.Run("ip", "-n", pod, "route", "del", "10.240.0.0/16", "dev", "eth0");
        VnetNode.Run("ip", "-n", pod, "route", "add", "169.254.1.1/32", "dev", "eth0", "scope", "link");
        VnetNode.Run("ip", "-n", pod, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0");
        VnetNode.Run("ip", "-n", pod, "neigh", "replace", "169.254.1.1", "lladdr", "aa:aa:aa:aa:aa:aa", "dev", "eth0", "nud", "permanent");

        File.WriteAllText(Path.Combine(node.StateDir, "azure-vnet.json"),
            UpstreamVnetStateTests.GoldenTransparent.Replace("/fake/netns/up1", VnetNode.NetnsPath(pod), StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(node.StateDir, "azure-vnet-ipam.json"), UpstreamVnetStateTests.GoldenIpam);
        return pod;
    }

    [RootFact]
    public void AdoptedPod_KeepsItsAddressFromNewPods_ThenDelRemovesItsRouteAndReleasesIt()
    {
        using var node = new VnetNode();
        string pod = UpstreamPod(node);
        string config = node.Config("transparent");
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.6"), "upstream's pod answers before the takeover");

        string newPod = node.AddPod("new");
        var add = node.Plugin("ADD", "c0ffee0000000000000000000001", newPod, config);
        Assert.True(add.Exit == 0, add.Stdout + add.Stderr);
        Assert.NotEqual("10.240.0.6/16", add.Json.GetProperty("ips")[0].GetProperty("address").GetString());
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.6"), "the takeover left upstream's pod alone");
        Assert.Single(Directory.GetFiles(node.StateDir, "azure-vnet.json.upstream-*"));
        Assert.Single(Directory.GetFiles(node.StateDir, "azure-vnet-ipam.json.upstream-*"));

        var del = node.Plugin("DEL", Cid, pod, config);
        Assert.True(del.Exit == 0, del.Stdout + del.Stderr);
        Assert.DoesNotContain("10.240.0.6 ", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        Assert.DoesNotContain(Cid, node.StateText("azure-vnet.json"));
        Assert.DoesNotContain(Cid, node.StateText("azure-vnet-ipam.json"));
        Assert.True(node.Plugin("DEL", Cid, pod, config).Exit == 0);

        var record = new AzureCni.Ipam.State.IpamStore(node.StateDir).Load().Pools.SelectMany(p => p.Addresses).Single(a => a.Address == "10.240.0.6");
        Assert.True(record.IsFree, "its address goes out again");
    }
}
