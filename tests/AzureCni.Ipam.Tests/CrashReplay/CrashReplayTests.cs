using System.Diagnostics;
using System.Globalization;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;
using AzureCni.TestBed.CrashReplay;
using Xunit.Abstractions;

namespace AzureCni.Ipam.Tests.CrashReplay;

/// <summary>
/// Crash consistency by replay: the published azure-vnet-ipam runs ADD, ADD, DEL and GC under strace; the traced
/// file syscalls drive <see cref="CrashFileSystem"/>, and after every one of them each state a power cut could leave
/// of the state directory (<see cref="CrashFileSystem.Crashes"/>) is written out and read the way the plugin reads it
/// after a reboot. It must be a state one of the calls wrote, no older than the last one answered to the runtime and
/// no newer than the last one begun, with no address twice. After every syscall the worst cases (every unsynced
/// write and rename lost; the renames kept and the data lost) and the no-loss case are handed to the real plugin,
/// whose next ADD must read the state as it is, keep every reservation, and lease an address no one holds.
/// The state directory is under /var/tmp: on a tmpfs the plugin keeps no journal (nothing survives a power cut).
/// </summary>
[Collection(PluginBinaryCollection.Name)]
public sealed class CrashReplayTests(PluginBinaryFixture binary, ITestOutputHelper output) : IDisposable
{
    private const string NextPod = "after-the-crash";
    private static readonly string[] Secondaries = ["10.240.0.5", "10.240.0.6", "10.240.0.7"];
    private static readonly IReadOnlySet<string> ReadFiles = new HashSet<string>(StringComparer.Ordinal)
    {
        IpamStore.StateFileName,
        IpamStore.StateFileName + ".journal",
    };

    private readonly string _root = Path.Combine("/var/tmp", "azcni-crash-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private sealed record Call(string Command, string ContainerId, string Config);

    [RootFact]
    public void EveryPrefixOfAddDelGcLeavesAStateTheNextCallReadsWhole()
    {
        string recorded = Path.Combine(_root, "state");
        Directory.CreateDirectory(recorded);
        File.WriteAllText(Path.Combine(_root, "interfaces.json"), Fixtures.InterfacesJson("*", Secondaries));
        string ipam = $$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{Path.Combine(_root, "interfaces.json")}}"}""";
        Call[] calls =
        [
            new("ADD", "pod-1", PluginRun.Config(ipam)),
            new("ADD", "pod-2", PluginRun.Config(ipam)),
            new("DEL", "pod-1", PluginRun.Config(ipam)),
            new("GC", "", PluginRun.GcConfig(ipam)),
        ];

        var clock = Stopwatch.StartNew();
        var (recording, leases) = Record(calls, recorded);
        var steps = recording.Steps;
        int writes = recording.WritesOf(IpamStore.StateFileName).Count;
        output.WriteLine($"recorded {calls.Length} calls: {steps.Count} steps, {writes} state writes, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(calls.Length, writes);

        var failures = new List<string>();
        string replay = Path.Combine(_root, "replay");
        int images = 0, runs = 0;
        var ranPlugin = new HashSet<string>(StringComparer.Ordinal);
        var readStates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            var allowed = recording.Allowed(step, IpamStore.StateFileName);
            var live = Live(step, calls, leases);
            string expectation = CrashRecording.KeyOf(allowed) + "|" + string.Join(",", live);
            foreach (var image in step.Crashes)
            {
                images++;
                // The same files under the same expectation, met at an earlier step (a lock file more or less): read once.
                if (!readStates.Add(image.KeyOf(ReadFiles) + "|" + expectation))
                    continue;
                image.Materialise(replay, ReadFiles);
                if (ReadBack(replay, allowed, live) is { } problem)
                    failures.Add($"step {step.Index} ({step.What}), {image.Description}: {problem}");
            }

            foreach (var image in step.WorstCases)
            {
                // A lock file or a temp file more or less changes nothing for the plugin: one run per state of the files it reads.
                if (!ranPlugin.Add(image.KeyOf(ReadFiles) + "|" + string.Join(",", live)))
                    continue;
                runs++;
                if (NextCall(image, ipam, allowed, live, ref images) is { } problem)
                    failures.Add($"step {step.Index} ({step.What}), {image.Description}, next ADD by the plugin: {problem}");
            }
        }

        output.WriteLine($"{steps.Count} prefixes, {images} crash states ({readStates.Count} distinct at the first cut) read back (both cuts), {runs} next calls of the plugin, {failures.Count} failures, {clock.ElapsedMilliseconds} ms");
        Assert.True(failures.Count == 0, $"{failures.Count} crash states are wrong:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(steps.Count > 20 && images > steps.Count && runs > steps.Count, $"the replay covered too little: {steps.Count} steps, {images} states, {runs} runs");
    }

    private (CrashRecording Recording, Dictionary<string, string> Leases) Record(Call[] calls, string stateDir)
    {
        var recording = new CrashRecording(stateDir, ReadFiles);
        var leases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            var (result, trace) = TracedRun.Run(binary.PluginPath, Environment(call.Command, call.ContainerId, stateDir), call.Config, _root);
            Assert.True(result.ExitCode == 0, $"{call.Command} {call.ContainerId} under strace: {result}");
            if (call.Command == "ADD")
                leases[call.ContainerId] = new PluginOutcome(result.ExitCode, result.Stdout, result.Stderr).Address.Split('/')[0];
            recording.Add(trace);
        }

        Assert.Contains(recording.Steps, s => s.What.StartsWith("fdatasync", StringComparison.Ordinal));
        return (recording, leases);
    }

    // What a runtime sets; logs and libcni's cache outside the state directory, so only state files are traced there.
    private Dictionary<string, string> Environment(string command, string containerId, string stateDir) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = command == "ADD" ? "/var/run/netns/azcni-test-unused" : "",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = binary.PluginDir,
        ["AZURE_CNI_STATE_DIR"] = stateDir,
        ["AZURE_CNI_LOG_DIR"] = Path.Combine(_root, "logs"),
        ["AZURE_CNI_CNI_CACHE_DIR"] = Path.Combine(_root, "cni-cache"),
    };

    /// <summary>The pods whose ADD was answered and whose release (their DEL, a GC) had not begun by <paramref name="step"/>.</summary>
    private static List<string> Live(CrashStep step, Call[] calls, Dictionary<string, string> leases)
    {
        var live = new List<string>();
        for (int c = 0; c < step.Call || (c == step.Call && step.Answered); c++)
        {
            if (calls[c].Command == "ADD")
                live.Add(calls[c].ContainerId);
        }

        for (int c = 0; c <= step.Call; c++)
        {
            if (calls[c].Command == "DEL")
                live.Remove(calls[c].ContainerId);
            else if (calls[c].Command == "GC")
                live.Clear();
        }

        return live.Select(pod => pod + "=" + leases[pod]).ToList();
    }

    // The state as the plugin reads it: one of the allowed writes, whole, every answered lease in it.
    private static string? ReadBack(string directory, List<byte[]?> allowed, List<string> live)
    {
        IpamState state;
        byte[]? raw;
        try
        {
            state = new IpamStore(directory).Load(out raw);
        }
        catch (Exception e)
        {
            return $"unreadable: {e.GetType().Name}: {e.Message}";
        }

        if (!CrashRecording.IsAllowed(allowed, raw))
            return raw is null ? "no state, though a call was answered" : "a state no allowed write made (older than the last answered one, or torn)";
        return Owners(state, live);
    }

    private static string? Owners(IpamState state, List<string> live)
    {
        var held = state.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).ToList();
        if (held.Select(r => r.Address).Distinct().Count() != held.Count)
            return "an address with two owners";
        foreach (string lease in live)
        {
            string[] parts = lease.Split('=');
            if (!held.Exists(r => r.ContainerId == parts[0] && r.Address == parts[1]))
                return $"{parts[0]}'s answered lease {parts[1]} is gone";
        }

        return null;
    }

    /// <summary>
    /// The plugin's next ADD on the crashed directory, traced (in another boot): it reads the state as it is (no
    /// rebuild), keeps every reservation and leases a free address. Then the second power cut: after each of its
    /// syscalls, every state a cut could leave must be one the first cut could leave, or this ADD's write, and only
    /// this ADD's write once it answered.
    /// </summary>
    private string? NextCall(CrashImage image, string ipam, List<byte[]?> allowed, List<string> live, ref int images)
    {
        string directory = Path.Combine(_root, "replay");
        image.Materialise(directory);
        if (ReadBack(directory, allowed, live) is { } problem)
            return "before it: " + problem;
        var before = new IpamStore(directory).Load();
        var held = before.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).Select(r => (r.Address, r.ContainerId)).ToList();

        var (result, trace) = TracedRun.Run(binary.PluginPath, Environment("ADD", NextPod, directory), PluginRun.Config(ipam), _root, TracedRun.NextBootId);
        if (result.ExitCode != 0)
            return result.ToString();
        string address = new PluginOutcome(result.ExitCode, result.Stdout, result.Stderr).Address.Split('/')[0];
        if (held.Exists(h => h.Address == address))
            return $"leased {address}, which {held.Find(h => h.Address == address).ContainerId} holds";

        var after = new IpamStore(directory).Load(out byte[]? written);
        if (after.Recovered is { } recovered)
            return "the state was rebuilt: " + recovered;
        var now = after.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).Select(r => (r.Address, r.ContainerId)).ToList();
        var expected = held.Append((Address: address, ContainerId: (string?)NextPod)).OrderBy(h => h.Address, StringComparer.Ordinal).ToList();
        if (!now.OrderBy(h => h.Address, StringComparer.Ordinal).SequenceEqual(expected))
            return $"reservations after it: {string.Join(", ", now)}; expected {string.Join(", ", expected)}";
        var listed = after.Pools.SelectMany(p => p.Addresses).Select(r => r.Address).Order(StringComparer.Ordinal);
        if (!listed.SequenceEqual(Secondaries))
            return "the pool lost or gained addresses: " + string.Join(", ", listed);

        var fs = new CrashFileSystem(directory, image);
        string second = Path.Combine(_root, "replay-2");
        bool answered = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var syscall in trace)
        {
            answered |= syscall.Name == "write" && syscall.Args[0].Token == "1";
            if (fs.Apply(syscall).Length == 0 && !answered)
                continue;
            List<byte[]?> allowedNow = answered ? [written] : [.. allowed, written];
            var liveNow = answered ? [.. live, NextPod + "=" + address] : live;
            foreach (var crash in fs.Crashes(ReadFiles))
            {
                images++;
                if (!seen.Add(crash.KeyOf(ReadFiles) + "|" + answered))
                    continue;
                crash.Materialise(second, ReadFiles);
                if (ReadBack(second, allowedNow, liveNow) is { } lost)
                    return $"a second power cut after {syscall.Name} ({(answered ? "answered" : "not answered")}), {crash.Description}: {lost}";
            }
        }

        return null;
    }
}
