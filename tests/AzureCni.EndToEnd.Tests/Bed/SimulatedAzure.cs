using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;

namespace AzureCni.EndToEnd.Tests.Bed;

/// <summary>
/// One simulated Azure VNet (scripts/simnet.sh with a unique SIMNET_PREFIX): the fabric namespace with its
/// wireserver, N node namespaces, and the pod namespaces the test adds. Dispose kills what the test started,
/// deletes every pod namespace and tears the bed down, whatever happened before.
/// </summary>
public sealed class SimulatedAzure : IDisposable
{
    private readonly ConcurrentBag<Pod> _pods = [];
    private readonly ConcurrentBag<Process> _background = [];

    private SimulatedAzure(string prefix, int nodes)
    {
        Prefix = prefix;
        Directory = "/run/" + prefix;
        Nodes = Enumerable.Range(1, nodes).Select(n => new SimNode(this, n)).ToArray();
    }

    public const string Gateway = "10.240.0.1";

    public string Prefix { get; }

    /// <summary>SIMNET_DIR: the per-node sources, states and configs.</summary>
    public string Directory { get; }

    public string FabricNamespace => Prefix + "-vnet";

    public IReadOnlyList<SimNode> Nodes { get; }

    private Dictionary<string, string> SimnetEnvironment(int secondaries) => new()
    {
        ["SIMNET_PREFIX"] = Prefix,
        ["SIMNET_DIR"] = Directory,
        ["SIMNET_SECONDARIES"] = secondaries.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static SimulatedAzure Start(int nodes = 2, int secondaries = 30)
    {
        var bed = new SimulatedAzure("azcni-e2e-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)), nodes);
        try
        {
            Shell.Check([Repository.Simnet, "up", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture)], bed.SimnetEnvironment(secondaries));
            foreach (SimNode node in bed.Nodes)
                node.Prepare();
        }
        catch
        {
            bed.Dispose();
            throw;
        }
        return bed;
    }

    /// <summary>A new pod namespace (<c>PREFIX-pod-NAME</c>) with lo up; deleted with the bed.</summary>
    public Pod CreatePod(SimNode node, string name)
    {
        var pod = new Pod(node, $"{Prefix}-pod-{name}");
        _pods.Add(pod);
        Shell.Check(["ip", "netns", "add", pod.Namespace]);
        Shell.Check(["ip", "-n", pod.Namespace, "link", "set", "lo", "up"]);
        return pod;
    }

    /// <summary>Starts a long-running command (a listener) the bed kills on Dispose.</summary>
    public Process StartBackground(params string[] args)
    {
        var start = new ProcessStartInfo(args[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args.AsSpan(1))
            start.ArgumentList.Add(arg);
        Process process = Process.Start(start)!;
        _background.Add(process);
        return process;
    }

    /// <summary>Runs a command in the fabric namespace (the "outside world" of the VNet).</summary>
    public CommandResult InFabric(params string[] args) => Shell.Run(["ip", "netns", "exec", FabricNamespace, .. args]);

    public void Dispose()
    {
        foreach (Process process in _background)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        foreach (Pod pod in _pods)
            Shell.Run(["ip", "netns", "del", pod.Namespace]);
        Shell.Run([Repository.Simnet, "down"], SimnetEnvironment(0));
    }
}
