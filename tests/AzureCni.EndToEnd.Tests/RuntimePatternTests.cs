using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// Each runtime's calling pattern, in both modes: containerd through go-cni, CRI-O (CHECK after every ADD; at
/// start-up a DEL of each gone sandbox, then one GC with the survivors), the libcni client at every spec version,
/// and sandboxes of one pod replaced as fast as a runtime does. DEL leaves the veth to the namespace's teardown, so
/// "nothing left" is checked once the runtime deleted the namespace.
/// </summary>
public sealed class RuntimePatternTests
{
    /// <summary>The rounds of the churn test; AZURE_CNI_CHURN_ROUNDS=500 for the acceptance run by hand.</summary>
    private static readonly int ChurnRounds =
        int.TryParse(Environment.GetEnvironmentVariable("AZURE_CNI_CHURN_ROUNDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int rounds) && rounds > 0 ? rounds : 50;

    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void Containerd_through_go_cni_setup_remove_remove_again_and_after_the_namespace_goes_nothing_is_left(string mode)
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string confDir = Path.Combine(node.Directory, "net.d");
        Directory.CreateDirectory(confDir);
        // The capabilities containerd's CRI plugin fills in, each declared so that libcni passes it on.
        File.WriteAllText(Path.Combine(confDir, "10-azure.conflist"), NetworkConfigs.AzureVnet(mode).Replace(
            "\"capabilities\": { \"portMappings\": true }",
            "\"capabilities\": { \"portMappings\": true, \"dns\": true, \"io.kubernetes.cri.pod-annotations\": true }", StringComparison.Ordinal));
        Pod pod = bed.CreatePod(node, "web");

        // containerd polls STATUS (a 1.1.0 conflist) the whole time; it must never fail or wait behind an ADD.
        var statusFailures = new ConcurrentQueue<string>();
        int statusCalls = 0;
        using var stop = new CancellationTokenSource();
        Task poller = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                CommandResult status = node.Plugin("STATUS", StatusConfig(mode));
                Interlocked.Increment(ref statusCalls);
                if (!status.Succeeded)
                    statusFailures.Enqueue(status.ToString());
            }
        });

        CommandResult setup = node.Gocni("setup", pod, confDir, "web-0", hostPort: 30080, containerPort: 8080);
        Assert.True(setup.Succeeded, $"go-cni setup failed: {setup}");
        using JsonDocument result = JsonDocument.Parse(setup.Stdout);
        pod.Address = IPAddress.Parse(result.RootElement.GetProperty("ip").GetString()!);
        Assert.StartsWith("10.240.1.", pod.Ip, StringComparison.Ordinal);
        // The dns capability (runtimeConfig.dns) reached the result: go-cni lists each network's DNS.
        Assert.Contains("\"10.0.0.10\"", result.RootElement.GetProperty("dns").GetRawText(), StringComparison.Ordinal);
        Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} cannot reach the gateway");
        Assert.Contains($"dnat to {pod.Ip}:8080", node.Exec("nft", "list", "ruleset").Stdout, StringComparison.Ordinal);

        CommandResult remove = node.Gocni("remove", pod, confDir, "web-0", hostPort: 30080, containerPort: 8080);
        Assert.True(remove.Succeeded, $"go-cni remove failed: {remove}");
        CommandResult again = node.Gocni("remove", pod, confDir, "web-0", hostPort: 30080, containerPort: 8080);
        Assert.True(again.Succeeded, $"the second go-cni remove failed: {again}");
        node.AssertNothingLeftOf(pod, pod.Address);

        Assert.True(bed.DeletePod(pod), $"the namespace of {pod.Namespace} could not be deleted");
        node.AssertNoVethLinks();
        stop.Cancel();
        poller.Wait();
        Assert.True(statusCalls > 0, "STATUS was never called");
        Assert.True(statusFailures.IsEmpty, $"{statusFailures.Count} of {statusCalls} STATUS calls failed:\n{string.Join('\n', statusFailures)}");
    }

    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void Cri_o_checks_after_every_add_and_at_start_up_dels_the_gone_then_gcs_leaving_exactly_the_survivors(string mode)
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(mode));
        Pod[] pods = Enumerable.Range(0, 5).Select(i => bed.CreatePod(node, "crio" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        foreach (Pod pod in pods)
        {
            node.Add(pod, conf);
            node.Succeeds("check", pod, conf);
        }

        // The runtime restarts: pods 0 and 1 went with the machine's old boot (namespaces gone), pod 2 was DELed
        // but its namespace was never deleted, pods 3 and 4 survive.
        Pod[] gone = pods[..2], survivors = pods[3..];
        Pod kept = pods[2];
        node.Succeeds("del", kept, conf);
        foreach (Pod pod in gone)
            Assert.True(bed.DeletePod(pod), $"the namespace of {pod.Namespace} could not be deleted");
        foreach (Pod pod in gone)
            node.Succeeds("del", pod, conf);

        CommandResult gc = node.Plugin("GC", GcConfig(mode, survivors));
        Assert.True(gc.Succeeded, $"GC failed: {gc}");

        Assert.Equal(survivors.Select(p => p.ContainerId).Order(), StateContainers(node, "azure-vnet.json", "endpoints").Order());
        Assert.Equal(survivors.Select(p => p.ContainerId).Order(), StateContainers(node, "azure-vnet-ipam.json", "pools").Order());
        Assert.False(kept.Exec("ip", "link", "show", "dev", "eth0").Succeeded, "GC left the interface of the namespace never deleted");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (node.VethLinks().Count > survivors.Length && clock.Elapsed < SimNode.NamespaceTeardown)
            Thread.Sleep(20);
        Assert.Equal(survivors.Length, node.VethLinks().Count);
        foreach (Pod pod in survivors)
        {
            node.Succeeds("check", pod, conf);
            Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} lost the gateway to GC");
        }
    }

    [EndToEndTheory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    public void The_libcni_client_adds_checks_dels_and_dels_again_at_each_spec_version(string version)
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Transparent, cniVersion: version));
        Pod pod = bed.CreatePod(node, "v");

        IPAddress address = node.Add(pod, conf);
        if (version != "0.3.0" && version != "0.3.1")
            node.Succeeds("check", pod, conf);
        Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} cannot reach the gateway at {version}");
        node.Succeeds("del", pod, conf);
        node.Succeeds("del", pod, conf);
        node.AssertNothingLeftOf(pod, address);
        Assert.True(bed.DeletePod(pod));
        node.AssertNoVethLinks();
    }

    /// <summary>
    /// 1.1.0, which Debian's libcni (1.1.2) predates, the way libcni 1.2 calls it: ADD, CHECK with the result as
    /// prevResult, DEL, DEL again, then STATUS and GC.
    /// </summary>
    [EndToEndFact]
    public void At_1_1_0_add_check_del_del_status_and_gc_as_libcni_1_2_calls_them()
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        Pod pod = bed.CreatePod(node, "v110");
        string config = StatusConfig(NetworkConfigs.Transparent);

        CommandResult add = node.Plugin("ADD", config, pod.ContainerId, pod.NetnsPath);
        Assert.True(add.Succeeded, $"ADD at 1.1.0 failed: {add}");
        using (JsonDocument result = JsonDocument.Parse(add.Stdout))
            Assert.Equal("1.1.0", result.RootElement.GetProperty("cniVersion").GetString());
        CommandResult check = node.Plugin("CHECK", config.TrimEnd()[..^1] + ", \"prevResult\": " + add.Stdout + "}", pod.ContainerId, pod.NetnsPath);
        Assert.True(check.Succeeded && check.Stdout.Length == 0, $"CHECK at 1.1.0 failed: {check}");
        Assert.True(node.Plugin("STATUS", config).Succeeded);
        Assert.True(node.Plugin("DEL", config, pod.ContainerId, pod.NetnsPath).Succeeded);
        Assert.True(node.Plugin("DEL", config, pod.ContainerId, pod.NetnsPath).Succeeded);

        CommandResult gc = node.Plugin("GC", GcConfig(NetworkConfigs.Transparent, []));
        Assert.True(gc.Succeeded, $"GC at 1.1.0 failed: {gc}");
        Assert.Empty(node.VethLinks());
        Assert.False(pod.Exec("ip", "link", "show", "dev", "eth0").Succeeded, "GC left the interface DEL left in the kept namespace");
    }

    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void Sandboxes_of_one_pod_replaced_round_after_round_never_fail_and_leave_nothing(string mode)
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(mode));
        const string sameName = "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;IgnoreUnknown=1";
        var failures = new List<string>();
        var addresses = new HashSet<string>();

        // Each round: ADD, DEL, the namespace deleted, and at once the next sandbox of the same pod in a new one.
        for (int round = 0; round < ChurnRounds; round++)
        {
            Pod pod = bed.CreatePod(node, "churn" + round.ToString(CultureInfo.InvariantCulture));
            CommandResult add = node.Cni("add", pod, conf, cniArgs: sameName);
            if (add.Succeeded)
            {
                using JsonDocument result = JsonDocument.Parse(add.Stdout);
                addresses.Add(result.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0]);
            }
            else
            {
                failures.Add($"round {round}: ADD: {add}");
            }

            CommandResult del = node.Cni("del", pod, conf, cniArgs: sameName);
            if (!del.Succeeded)
                failures.Add($"round {round}: DEL: {del}");
            if (!bed.DeletePod(pod))
                failures.Add($"round {round}: the namespace could not be deleted");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures in {ChurnRounds} rounds:\n{string.Join('\n', failures.Take(10))}");
        node.AssertNoVethLinks();
        string dump = node.NetworkDump();
        foreach (string address in addresses)
            Assert.DoesNotMatch($@"(?<![\d.]){Regex.Escape(address)}(?![\d])", dump);
        Assert.Empty(StateContainers(node, "azure-vnet.json", "endpoints"));
        Assert.Empty(StateContainers(node, "azure-vnet-ipam.json", "pools"));
    }

    private static string StatusConfig(string mode) =>
        $$$"""{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","mode":"{{{mode}}}","bridge":"{{{NetworkConfigs.BridgeName}}}","ipam":{"type":"azure-vnet-ipam","environment":"azure"}}""";

    private static string GcConfig(string mode, IEnumerable<Pod> valid) =>
        StatusConfig(mode)[..^1] + ",\"cni.dev/valid-attachments\":["
        + string.Join(',', valid.Select(p => $$"""{"containerID":"{{p.ContainerId}}","ifname":"eth0"}"""))
        + "]}";

    /// <summary>The container IDs a state file holds: azure-vnet's endpoints, or azure-vnet-ipam's reservations.</summary>
    private static List<string> StateContainers(SimNode node, string file, string kind)
    {
        string path = Path.Combine(node.StateDir, file);
        if (!File.Exists(path))
            return [];
        using JsonDocument state = JsonDocument.Parse(File.ReadAllText(path));
        IEnumerable<JsonElement> holders = kind == "pools"
            ? state.RootElement.GetProperty("pools").EnumerateArray().SelectMany(p => p.GetProperty("addresses").EnumerateArray())
            : state.RootElement.TryGetProperty("endpoints", out JsonElement endpoints) ? endpoints.EnumerateArray() : [];
        return holders
            .Select(h => h.TryGetProperty(kind == "pools" ? "containerId" : "containerID", out JsonElement id) ? id.GetString() : null)
            .Where(id => !string.IsNullOrEmpty(id))
            .Select(id => id!)
            .ToList();
    }
}
