using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AzureCni.Install.Tests;

/// <summary>
/// A node upstream Azure CNI ran, taken over on the spot and given back (docs/operations.md, "Moving a node from
/// upstream Azure CNI and back"). In a simulated Azure node, three pods are made the way upstream makes them
/// (kernel objects with `ip`, per /work/shared/reference/upstream-state-and-migration.md §4-5), with upstream's
/// state files and the runtime's libcni result cache beside them; the install script then puts this project's
/// plugins over a fake upstream release, and the real libcni runtime execs them.
/// </summary>
public sealed class UpstreamTakeoverTests(ReleaseFixture releases) : IClassFixture<ReleaseFixture>, IDisposable
{
    private const string Network = "azure";
    private const int Secondaries = 10;

    private readonly string _work = Repo.TempDir("upt");

    private string Prefix => Path.Combine(_work, "root");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>One pod upstream made: its sandbox, Kubernetes names, address and the MAC of its eth0.</summary>
    private sealed record UpstreamPod(Pod Pod, string PodName, string Address, string Mac)
    {
        // Upstream's transparent mode names the host veth from "<namespace>.<pod>" (endpoint_linux.go's key).
        public string HostVeth => "azv" + Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes("default." + PodName)))[..11];
    }

    /// <summary>The installed plugins' bin directory: a fake upstream release first, this project's over it.</summary>
    private string InstallOverUpstream()
    {
        string prefix = Prefix;
        Directory.CreateDirectory(prefix);
        var upstream = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--from", FakeRelease.Create(_work, "1.6.21"), "1.6.21"]);
        Assert.True(upstream.ExitCode == 0, upstream.ToString());
        var (version, archive) = releases.A;
        var ours = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--from", archive, version]);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        return Path.Combine(prefix, "opt/cni/bin");
    }

    /// <summary>
    /// A transparent pod as upstream leaves it: host veth (upstream's name, MAC aa:aa:aa:aa:aa:aa, proxy_arp) with
    /// a /32 route to the pod; in the pod, eth0 with the address, no subnet route, 169.254.1.1 on link as gateway.
    /// </summary>
    private static UpstreamPod MakeTransparentPod(SimulatedAzure bed, SimNode node, int index)
    {
        var pod = bed.CreatePod(node, "up-" + index.ToString(CultureInfo.InvariantCulture));
        var made = new UpstreamPod(pod, "web-" + index.ToString(CultureInfo.InvariantCulture),
            $"10.240.{node.Index}.{5 + index}", $"02:bd:0a:f0:01:{index:x2}");
        string ns = node.Namespace;
        Shell.Check(["ip", "-n", ns, "link", "add", made.HostVeth, "address", "aa:aa:aa:aa:aa:aa", "type", "veth",
            "peer", "name", "eth0", "address", made.Mac, "netns", pod.Namespace]);
        Shell.Check(["ip", "-n", ns, "link", "set", made.HostVeth, "up"]);
        Shell.Check(["ip", "netns", "exec", ns, "sh", "-c", $"echo 1 > /proc/sys/net/ipv4/conf/{made.HostVeth}/proxy_arp; echo 0 > /proc/sys/net/ipv6/conf/{made.HostVeth}/accept_ra"]);
        Shell.Check(["ip", "-n", ns, "route", "add", made.Address + "/32", "dev", made.HostVeth]);
        Shell.Check(["ip", "-n", pod.Namespace, "link", "set", "eth0", "up"]);
        Shell.Check(["ip", "-n", pod.Namespace, "addr", "add", made.Address + "/16", "dev", "eth0"]);
        Shell.Check(["ip", "-n", pod.Namespace, "route", "del", "10.240.0.0/16", "dev", "eth0"]);
        Shell.Check(["ip", "-n", pod.Namespace, "route", "add", "169.254.1.1/32", "dev", "eth0", "scope", "link"]);
        Shell.Check(["ip", "-n", pod.Namespace, "route", "add", "default", "via", "169.254.1.1", "dev", "eth0"]);
        Shell.Check(["ip", "-n", pod.Namespace, "neigh", "replace", "169.254.1.1", "lladdr", "aa:aa:aa:aa:aa:aa", "dev", "eth0", "nud", "permanent"]);
        pod.Address = System.Net.IPAddress.Parse(made.Address);
        return made;
    }

    /// <summary>upstream's azure-vnet-ipam.json: the node's secondaries, the pods' addresses in use by their container IDs.</summary>
    private static string UpstreamIpamFile(SimNode node, IReadOnlyList<UpstreamPod> pods) =>
        UpstreamStateFiles.Ipam(node, Secondaries, pods.ToDictionary(p => p.Address, p => p.Pod.ContainerId), "v1.6.21");

    /// <summary>upstream's azure-vnet.json in transparent mode, one endpoint per pod (shape of the reference's §8 example).</summary>
    private static string UpstreamVnetFile(SimNode node, IReadOnlyList<UpstreamPod> pods)
    {
        var endpoints = pods.Select(p => $$"""
            "{{p.Pod.ContainerId[..8]}}-eth0":{"Id":"{{p.Pod.ContainerId[..8]}}-eth0","SandboxKey":"","IfName":"eth0","HostIfName":"{{p.HostVeth}}","MacAddress":"{{UpstreamStateFiles.Base64Mac(p.Mac)}}","InfraVnetIP":{"IP":"","Mask":null},"LocalIP":"",
             "IPAddresses":[{"IP":"{{p.Address}}","Mask":"//8AAA=="}],"Gateways":["0.0.0.0"],"DNS":{"Suffix":"","Servers":["168.63.129.16"],"Options":null},
             "Routes":[{"Dst":{"IP":"0.0.0.0","Mask":"AAAAAA=="},"Src":"","Gw":"10.240.0.1","Protocol":0,"DevName":"","Scope":0,"Priority":0,"Table":0}],
             "VlanID":0,"EnableSnatOnHost":false,"EnableInfraVnet":false,"EnableMultitenancy":false,"AllowInboundFromHostToNC":false,"AllowInboundFromNCToHost":false,"NetworkContainerID":"",
             "NetworkNameSpace":"{{p.Pod.NetnsPath}}","ContainerID":"{{p.Pod.ContainerId}}","PODName":"{{p.PodName}}","PODNameSpace":"default","SecondaryInterfaces":{},"NICType":"InfraNIC"}
            """);
        return $$"""
            {"Network":{"CnsClient":null,"Version":"v1.6.21","TimeStamp":"2026-03-02T11:00:00.25Z","ExternalInterfaces":{"eth0":{"Name":"eth0",
             "Networks":{"{{Network}}":{"Id":"{{Network}}","Mode":"transparent","VlanId":0,
              "Subnets":[{"Family":2,"Prefix":{"IP":"10.240.0.0","Mask":"//8AAA=="},"Gateway":"10.240.0.1","PrimaryIP":""}],
              "Endpoints":{ {{string.Join(",\n", endpoints)}} },
              "DNS":{"Suffix":"","Servers":null,"Options":null},"EnableSnatOnHost":false,"NetNs":"","SnatBridgeIP":""} },
             "Subnets":["10.240.0.0/16"],"BridgeName":"","DNSInfo":{"Suffix":"","Servers":null,"Options":null},"MacAddress":"{{UpstreamStateFiles.Base64Mac($"00:0d:3a:00:00:{node.Index:x2}")}}",
             "IPAddresses":null,"Routes":null,"IPv4Gateway":"0.0.0.0","IPv6Gateway":"::"} } } }
            """;
    }

    /// <summary>The entry libcni wrote when upstream's ADD of the pod returned (results/&lt;network&gt;-&lt;cid&gt;-&lt;ifname&gt;).</summary>
    private static void WriteResultCache(SimNode node, string conflist, UpstreamPod pod)
    {
        string results = Path.Combine(node.CacheDir, "results");
        Directory.CreateDirectory(results);
        string entry = $$"""
            {"kind":"cniCacheV1","containerId":"{{pod.Pod.ContainerId}}","config":"{{Convert.ToBase64String(File.ReadAllBytes(conflist))}}","ifName":"eth0","networkName":"{{Network}}","netns":"{{pod.Pod.NetnsPath}}",
             "result":{"cniVersion":"1.0.0","interfaces":[{"name":"{{pod.HostVeth}}","mac":"aa:aa:aa:aa:aa:aa"},{"name":"eth0","mac":"{{pod.Mac}}","sandbox":"{{pod.Pod.NetnsPath}}"}],
              "ips":[{"address":"{{pod.Address}}/16","gateway":"10.240.0.1","interface":1}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}],"dns":{"nameservers":["168.63.129.16"]} } }
            """;
        File.WriteAllText(Path.Combine(results, $"{Network}-{pod.Pod.ContainerId}-eth0"), entry);
    }

    /// <summary>(container, address) of every reservation in use in our azure-vnet-ipam.json.</summary>
    private static SortedSet<string> Reservations(SimNode node)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet-ipam.json")));
        return new SortedSet<string>(state.RootElement.GetProperty("pools").EnumerateArray()
            .SelectMany(p => p.GetProperty("addresses").EnumerateArray())
            .Where(a => a.TryGetProperty("containerId", out _))
            .Select(a => a.GetProperty("containerId").GetString() + " " + a.GetProperty("address").GetString()), StringComparer.Ordinal);
    }

    /// <summary>(container, ifname, host veth, MAC, addresses) of every endpoint in our azure-vnet.json.</summary>
    private static SortedSet<string> Endpoints(SimNode node)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet.json")));
        return new SortedSet<string>(state.RootElement.GetProperty("endpoints").EnumerateArray()
            .Select(e => string.Join(" ", e.GetProperty("containerID").GetString(), e.GetProperty("ifName").GetString(), e.GetProperty("hostIfName").GetString(),
                e.GetProperty("mac").GetString(), string.Join(",", e.GetProperty("addresses").EnumerateArray().Select(a => a.GetString())))), StringComparer.Ordinal);
    }

    private static void AssertNothingLeftOf(SimNode node, UpstreamPod pod)
    {
        var mention = new Regex($@"(?<![\d.]){Regex.Escape(pod.Address)}(?![\d])", RegexOptions.CultureInvariant);
        string[] leftovers = node.NetworkDump().Split('\n').Where(line => mention.IsMatch(line)).ToArray();
        Assert.True(leftovers.Length == 0, $"{node.Namespace} still holds {pod.Address} of {pod.Pod.Namespace}:\n{string.Join('\n', leftovers)}");
        Assert.DoesNotContain(pod.HostVeth, node.VethLinks());
        foreach (string file in (string[])["azure-vnet.json", "azure-vnet-ipam.json"])
            Assert.DoesNotContain(pod.Pod.ContainerId, File.ReadAllText(Path.Combine(node.StateDir, file)), StringComparison.Ordinal);
    }

    /// <summary>The bed's node as upstream left it: three pods, upstream's state files, the runtime's result cache.</summary>
    private static (SimNode Node, string Conflist, List<UpstreamPod> Upstream) UpstreamNode(SimulatedAzure bed, string bin)
    {
        SimNode node = bed.Nodes[0];
        node.CniPath = bin; // the runtime's CNI_PATH: the installed plugins
        string conflist = node.WriteConflist(Network, NetworkConfigs.AzureVnet(NetworkConfigs.Transparent, Network));
        var upstream = Enumerable.Range(0, 3).Select(i => MakeTransparentPod(bed, node, i)).ToList();
        foreach (var pod in upstream)
        {
            WriteResultCache(node, conflist, pod);
            Assert.True(pod.Pod.Reaches(SimulatedAzure.Gateway), $"upstream's pod {pod.Pod} does not reach the gateway: the bed's upstream pod is wrong");
        }

        File.WriteAllText(Path.Combine(node.StateDir, "azure-vnet-ipam.json"), UpstreamIpamFile(node, upstream));
        File.WriteAllText(Path.Combine(node.StateDir, "azure-vnet.json"), UpstreamVnetFile(node, upstream));
        return (node, conflist, upstream);
    }

    [RootFact("azure-vnet", "azure-vnet-ipam")]
    public void ThreeUpstreamTransparentPods_AreTakenOver_NewPodsGetOtherAddresses_CheckAndDelLeaveNothing()
    {
        string bin = InstallOverUpstream();
        using var bed = SimulatedAzure.Start(nodes: 1, secondaries: Secondaries);
        var (node, conflist, upstream) = UpstreamNode(bed, bin);
        byte[] ipamBytes = File.ReadAllBytes(Path.Combine(node.StateDir, "azure-vnet-ipam.json"));
        byte[] vnetBytes = File.ReadAllBytes(Path.Combine(node.StateDir, "azure-vnet.json"));

        // A new pod before any old one goes: its ADD converts both files and takes an address no upstream pod holds.
        Pod[] fresh = [bed.CreatePod(node, "new-0"), bed.CreatePod(node, "new-1")];
        foreach (Pod pod in fresh)
        {
            string address = node.Add(pod, conflist).ToString();
            Assert.DoesNotContain(upstream, u => u.Address == address);
            Assert.True(pod.Reaches(upstream[0].Address), $"{pod} cannot reach upstream's pod {upstream[0].Pod}");
        }

        Assert.NotEqual(fresh[0].Ip, fresh[1].Ip);
        Assert.Equal(ipamBytes, File.ReadAllBytes(Assert.Single(Directory.GetFiles(node.StateDir, "azure-vnet-ipam.json.upstream-*"))));
        Assert.Equal(vnetBytes, File.ReadAllBytes(Assert.Single(Directory.GetFiles(node.StateDir, "azure-vnet.json.upstream-*"))));

        // What the upstream files held, and no more, besides the new pods.
        var ours = fresh.Select(p => p.ContainerId).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            new SortedSet<string>(upstream.Select(p => p.Pod.ContainerId + " " + p.Address), StringComparer.Ordinal),
            new SortedSet<string>(Reservations(node).Where(r => !ours.Contains(r.Split(' ')[0])), StringComparer.Ordinal));
        Assert.Equal(
            new SortedSet<string>(upstream.Select(p => $"{p.Pod.ContainerId} eth0 {p.HostVeth} {p.Mac} {p.Address}/16"), StringComparer.Ordinal),
            new SortedSet<string>(Endpoints(node).Where(e => !ours.Contains(e.Split(' ')[0])), StringComparer.Ordinal));

        // CHECK (libcni sends the cached result as prevResult) prints nothing and succeeds; DEL removes every object.
        foreach (var pod in upstream)
        {
            var check = node.Cni("check", pod.Pod, conflist);
            Assert.True(check.Succeeded && check.Stdout.Length == 0, $"CHECK of upstream's {pod.Pod}: {check}");
        }

        foreach (var pod in upstream)
        {
            node.Succeeds("del", pod.Pod, conflist);
            Assert.True(bed.DeletePod(pod.Pod));
            AssertNothingLeftOf(node, pod);
            node.Succeeds("del", pod.Pod, conflist); // DEL is idempotent
        }

        // The new pods live on; their DEL leaves the node with no pod at all.
        foreach (Pod pod in fresh)
        {
            node.Succeeds("check", pod, conflist);
            node.Succeeds("del", pod, conflist);
            bed.DeletePod(pod);
        }

        node.AssertNoVethLinks();
        Assert.Empty(Reservations(node));
        Assert.Empty(Endpoints(node));
    }

    [RootFact("azure-vnet", "azure-vnet-ipam")]
    public void RollbackAfterPodsOfBothKinds_WritesUpstreamShapesListingEveryLivePod_ThenOursTakesThemBackAndDelsThem()
    {
        string bin = InstallOverUpstream();
        using var bed = SimulatedAzure.Start(nodes: 1, secondaries: Secondaries);
        var (node, conflist, upstream) = UpstreamNode(bed, bin);
        Pod[] fresh = [bed.CreatePod(node, "new-0"), bed.CreatePod(node, "new-1")];
        foreach (Pod pod in fresh)
            node.Add(pod, conflist);

        // One upstream pod goes under ours: the export must not list it.
        var gone = upstream[2];
        node.Succeeds("del", gone.Pod, conflist);
        Assert.True(bed.DeletePod(gone.Pod));
        var live = upstream.Take(2).Select(p => (p.Pod, p.HostVeth, p.Mac)).ToList();
        using (var ours = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet.json"))))
        {
            foreach (Pod pod in fresh)
            {
                var record = ours.RootElement.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("containerID").GetString() == pod.ContainerId);
                live.Add((pod, record.GetProperty("hostIfName").GetString()!, record.GetProperty("mac").GetString()!));
            }
        }

        var rollback = Repo.Run(Repo.InstallScript, ["--prefix", Prefix, "--rollback"], new Dictionary<string, string> { ["AZURE_CNI_STATE_DIR"] = node.StateDir });
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("writing the state", rollback.Stdout, StringComparison.Ordinal);
        Assert.Equal("Azure CNI Version v1.6.21", Repo.Run(Path.Combine(bin, "azure-vnet"), ["--version"]).Stdout.Trim());

        // azure-vnet.json in upstream's shapes: the "azure" network with Subnets[0] = the pool, one endpoint per live pod.
        using (var vnet = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet.json"))))
        {
            var nic = vnet.RootElement.GetProperty("Network").GetProperty("ExternalInterfaces").GetProperty("eth0");
            Assert.Equal(UpstreamStateFiles.Base64Mac($"00:0d:3a:00:00:{node.Index:x2}"), nic.GetProperty("MacAddress").GetString());
            var network = nic.GetProperty("Networks").GetProperty(Network);
            Assert.Equal("transparent", network.GetProperty("Mode").GetString());
            var prefix = network.GetProperty("Subnets")[0].GetProperty("Prefix");
            Assert.Equal(("10.240.0.0", "//8AAA=="), (prefix.GetProperty("IP").GetString(), prefix.GetProperty("Mask").GetString()));
            var endpoints = network.GetProperty("Endpoints").EnumerateObject().ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            Assert.Equal(live.Select(l => l.Pod.ContainerId[..8] + "-eth0").Order(StringComparer.Ordinal), endpoints.Keys.Order(StringComparer.Ordinal));
            foreach (var (pod, hostVeth, mac) in live)
            {
                var endpoint = endpoints[pod.ContainerId[..8] + "-eth0"];
                Assert.Equal(
                    (pod.ContainerId, "eth0", hostVeth, UpstreamStateFiles.Base64Mac(mac), pod.Ip, "//8AAA==", pod.NetnsPath),
                    (endpoint.GetProperty("ContainerID").GetString(), endpoint.GetProperty("IfName").GetString(), endpoint.GetProperty("HostIfName").GetString(),
                     endpoint.GetProperty("MacAddress").GetString(), endpoint.GetProperty("IPAddresses")[0].GetProperty("IP").GetString(),
                     endpoint.GetProperty("IPAddresses")[0].GetProperty("Mask").GetString(), endpoint.GetProperty("NetworkNameSpace").GetString()));
            }
        }

        // azure-vnet-ipam.json in upstream's shapes: every live pod's address in use by its full container ID.
        using (var ipam = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet-ipam.json"))))
        {
            var pool = ipam.RootElement.GetProperty("IPAM").GetProperty("AddressSpaces").GetProperty("local").GetProperty("Pools").GetProperty("10.240.0.0/16");
            Assert.Equal(("10.240.0.0", "//8AAA==", "10.240.0.1"),
                (pool.GetProperty("Subnet").GetProperty("IP").GetString(), pool.GetProperty("Subnet").GetProperty("Mask").GetString(), pool.GetProperty("Gateway").GetString()));
            var inUse = pool.GetProperty("Addresses").EnumerateObject()
                .Where(a => a.Value.GetProperty("InUse").GetBoolean())
                .Select(a => a.Value.GetProperty("ID").GetString() + " " + a.Name)
                .Order(StringComparer.Ordinal);
            Assert.Equal(live.Select(l => l.Pod.ContainerId + " " + l.Pod.Ip).Order(StringComparer.Ordinal), inUse);
        }

        // Forward again: ours adopts the exported files, finds every live pod, and its DEL leaves nothing.
        var forward = Repo.Run(Repo.InstallScript, ["--prefix", Prefix, "--rollback"]);
        Assert.True(forward.ExitCode == 0, forward.ToString());
        foreach (var (pod, _, _) in live)
        {
            node.Succeeds("check", pod, conflist);
            node.Succeeds("del", pod, conflist);
            bed.DeletePod(pod);
        }

        node.AssertNoVethLinks();
        string dump = node.NetworkDump();
        foreach (var (pod, _, _) in live)
            Assert.DoesNotMatch($@"(?<![\d.]){Regex.Escape(pod.Ip)}(?![\d])", dump);
        Assert.Empty(Reservations(node));
        Assert.Empty(Endpoints(node));
    }
}
