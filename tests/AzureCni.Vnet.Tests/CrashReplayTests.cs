using System.Diagnostics;
using System.Globalization;
using AzureCni.Cni.Files;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.State;
using AzureCni.Json;
using AzureCni.TestBed.CrashReplay;
using AzureCni.Vnet.State;
using Xunit.Abstractions;

namespace AzureCni.Vnet.Tests;

/// <summary>
/// Crash consistency of azure-vnet's two state files by replay (the IPAM plugin's own replay is in
/// AzureCni.Ipam.Tests): the published azure-vnet, IPAM in-process, runs transparent-mode ADD, ADD and DEL on a
/// simulated node under strace; after every traced syscall each state a power cut could leave of the state directory
/// (both files and their journals) is read as after a reboot. Each file must hold one of its recorded writes, no
/// older than the last one answered (ADD's unflushed write-ahead record may be lost, its completed record may not),
/// and a pod whose ADD answered and whose DEL had not begun keeps its endpoint and its reservation. The worst cases
/// go to the real plugin: an ADD of a new pod must succeed on them with an address no live pod holds, and its DEL too.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class CrashReplayTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string VnetFile = EndpointStore.StateFileName;
    private static readonly string IpamFile = IpamStore.StateFileName;

    private readonly string _root = Directory.CreateDirectory(Path.Combine("/var/tmp", "azcni-crash-vnet-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed record Call(string Command, string ContainerId, string Pod);

    [RootFact("azure-vnet")]
    public void EveryPrefixOfAddAddDelLeavesBothStateFilesConsistent()
    {
        string binary = Requirements.PublishedBinary("azure-vnet")!;
        using var node = new VnetNode();
        string config = node.Config("transparent");
        string recorded = Directory.CreateDirectory(Path.Combine(_root, "state")).FullName;
        string pod1 = node.AddPod("pod1"), pod2 = node.AddPod("pod2");
        Call[] calls =
        [
            new("ADD", "crash0000000000000000000001", pod1),
            new("ADD", "crash0000000000000000000002", pod2),
            new("DEL", "crash0000000000000000000001", pod1),
        ];

        var clock = Stopwatch.StartNew();
        // Each file with its journal varied in every combination, the other pair as written: the product of both
        // (some 30,000 states) would take minutes; the worst cases below lose both pairs at once.
        HashSet<string> vnetPair = new(StringComparer.Ordinal) { VnetFile, VnetFile + ".journal" };
        HashSet<string> ipamPair = new(StringComparer.Ordinal) { IpamFile, IpamFile + ".journal" };
        var recording = new CrashRecording(recorded, new HashSet<string>(vnetPair.Concat(ipamPair), StringComparer.Ordinal), [vnetPair, ipamPair]);
        var leases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            var (result, trace) = TracedRun.Run(binary, Environment(call.Command, call.ContainerId, call.Pod, recorded), config, _root, netns: node.Node);
            Assert.True(result.ExitCode == 0, $"{call.Command} {call.ContainerId} under strace: {result}");
            if (call.Command == "ADD")
                leases[call.ContainerId] = new PluginOutcome(result.ExitCode, result.Stdout, result.Stderr).Json.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
            recording.Add(trace);
        }

        // A power cut takes the pods' links and routes with it: so does the replay, or the next ADD would meet them.
        foreach (var pod in calls.Select(c => c.Pod).Distinct())
            node.DeleteNamespace(pod);
        WaitForNoPodRoutes(node, leases.Values);

        Assert.Contains(recording.Steps, s => s.What.StartsWith("fdatasync", StringComparison.Ordinal));
        Assert.True(recording.WritesOf(VnetFile).Count >= 4, "the ADDs wrote no write-ahead record before their completed one");
        output.WriteLine($"recorded {calls.Length} calls: {recording.Steps.Count} steps, {recording.WritesOf(VnetFile).Count} writes of {VnetFile}, {recording.WritesOf(IpamFile).Count} of {IpamFile}, {clock.ElapsedMilliseconds} ms");

        var failures = new List<string>();
        string replay = Path.Combine(_root, "replay");
        int images = 0, runs = 0;
        var ranPlugin = new HashSet<string>(StringComparer.Ordinal);
        var inPlugin = new Stopwatch();
        var readStates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in recording.Steps)
        {
            var allowedVnet = recording.Allowed(step, VnetFile);
            var allowedIpam = recording.Allowed(step, IpamFile);
            var live = Live(step, calls, leases);
            string expectation = CrashRecording.KeyOf(allowedVnet) + "|" + CrashRecording.KeyOf(allowedIpam) + "|" + string.Join(",", live.Keys);
            foreach (var image in step.Crashes)
            {
                images++;
                // The same files under the same expectation, met at an earlier step (a lock file more or less): read once.
                if (!readStates.Add(image.KeyOf(recording.ReadFiles) + "|" + expectation))
                    continue;
                image.Materialise(replay, recording.ReadFiles);
                if (ReadBack(replay, allowedVnet, allowedIpam, live) is { } problem)
                    failures.Add($"step {step.Index} ({step.What}), {image.Description}: {problem}");
            }

            // The two worst cases (the no-loss one is a kill's, which the kill campaign covers).
            foreach (var image in step.WorstCases.Take(2))
            {
                // A lock file or a temp file more or less changes nothing for the plugin: one run per state of the files it reads.
                if (!ranPlugin.Add(image.KeyOf(recording.ReadFiles) + "|" + string.Join(",", live.Keys)))
                    continue;
                runs++;
                inPlugin.Start();
                image.Materialise(replay);
                if (NextCall(node, binary, config, replay, live, runs) is { } problem)
                    failures.Add($"step {step.Index} ({step.What}), {image.Description}, next ADD and DEL by the plugin: {problem}");
                inPlugin.Stop();
            }
        }

        output.WriteLine($"{recording.Steps.Count} prefixes, {images} crash states ({readStates.Count} distinct) read back, {runs} next ADD+DEL of the plugin ({inPlugin.ElapsedMilliseconds} ms), {failures.Count} failures, {clock.ElapsedMilliseconds} ms");
        Assert.True(failures.Count == 0, $"{failures.Count} crash states are wrong:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(recording.Steps.Count > 20 && images > recording.Steps.Count && runs > 10, $"the replay covered too little: {recording.Steps.Count} steps, {images} states, {runs} runs");
    }

    private static void WaitForNoPodRoutes(VnetNode node, IEnumerable<string> addresses)
    {
        var clock = Stopwatch.StartNew();
        while (addresses.Any(a => VnetNode.Run("ip", "-n", node.Node, "-4", "route").Contains(a + " dev", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the deleted pods' routes are still on the node after 30 s");
            Thread.Sleep(50);
        }
    }

    private static Dictionary<string, string> Environment(string command, string containerId, string pod, string stateDir) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = VnetNode.NetnsPath(pod),
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/nonexistent",
        ["AZURE_CNI_STATE_DIR"] = stateDir,
        ["AZURE_CNI_LOG_DIR"] = Path.Combine(Path.GetDirectoryName(stateDir)!, "logs"),
        ["AZURE_CNI_CNI_CACHE_DIR"] = Path.Combine(Path.GetDirectoryName(stateDir)!, "cni-cache"),
    };

    /// <summary>The pods whose ADD was answered and whose DEL had not begun by <paramref name="step"/>, with their address.</summary>
    private static Dictionary<string, string> Live(CrashStep step, Call[] calls, Dictionary<string, string> leases)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int c = 0; c < calls.Length && (c < step.Call || (c == step.Call && step.Answered)); c++)
        {
            if (calls[c].Command == "ADD")
                live[calls[c].ContainerId] = leases[calls[c].ContainerId];
        }

        for (int c = 0; c <= step.Call; c++)
        {
            if (calls[c].Command == "DEL")
                live.Remove(calls[c].ContainerId);
        }

        return live;
    }

    // Both files as the plugin reads them after a reboot: allowed writes, every live pod with its endpoint and lease.
    private static string? ReadBack(string directory, List<byte[]?> allowedVnet, List<byte[]?> allowedIpam, Dictionary<string, string> live)
    {
        byte[]? vnetRaw, ipamRaw;
        IpamState ipam;
        try
        {
            vnetRaw = FilePrimitives.Current.ReadState(Path.Combine(directory, VnetFile));
            ipam = new IpamStore(directory).Load(out ipamRaw);
        }
        catch (Exception e)
        {
            return $"unreadable: {e.GetType().Name}: {e.Message}";
        }

        if (!CrashRecording.IsAllowed(allowedVnet, vnetRaw))
            return $"{VnetFile}: a state no allowed write made";
        if (!CrashRecording.IsAllowed(allowedIpam, ipamRaw))
            return $"{IpamFile}: a state no allowed write made";

        var endpoints = vnetRaw is null ? [] : CniJson.Parse<VnetState>(vnetRaw).Endpoints;
        var held = ipam.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).ToList();
        if (held.Select(r => r.Address).Distinct().Count() != held.Count)
            return "an address with two owners";
        foreach (var (pod, address) in live)
        {
            if (!held.Exists(r => r.ContainerId == pod && r.Address == address))
                return $"{pod}'s answered lease {address} is not reserved";
            if (!endpoints.Exists(e => e.ContainerId == pod && e.Addresses.Exists(a => a.StartsWith(address + "/", StringComparison.Ordinal))))
                return $"{pod}'s answered endpoint is gone";
        }

        return null;
    }

    // A new pod's ADD on the crashed directory: it succeeds, with an address no live pod holds; its DEL succeeds too
    // (and leaves the node as it found it for the next replay).
    private static string? NextCall(VnetNode node, string binary, string config, string directory, Dictionary<string, string> live, int run)
    {
        string container = "after" + run.ToString("D23", CultureInfo.InvariantCulture);
        string pod = node.AddPod("next" + run.ToString(CultureInfo.InvariantCulture));
        try
        {
            var add = Shell.Run(["ip", "netns", "exec", node.Node, binary], Environment("ADD", container, pod, directory), stdin: config);
            if (add.ExitCode != 0)
                return "ADD: " + add.Output.ReplaceLineEndings(" ");
            string address = new PluginOutcome(add.ExitCode, add.Stdout, add.Stderr).Json.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
            if (live.FirstOrDefault(l => l.Value == address) is { Key: { } holder })
                return $"ADD leased {address}, which {holder} holds";
            if (new IpamStore(directory).Load().Recovered is { } recovered)
                return $"{IpamFile} was rebuilt: {recovered}";
            var del = Shell.Run(["ip", "netns", "exec", node.Node, binary], Environment("DEL", container, pod, directory), stdin: config);
            return del.ExitCode == 0 ? null : "DEL: " + del.Output.ReplaceLineEndings(" ");
        }
        finally
        {
            node.DeleteNamespace(pod);
        }
    }
}
