using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;

namespace AzureCni.TestBed;

/// <summary>
/// One simulated Azure VNet (scripts/simnet.sh with a unique SIMNET_PREFIX): the fabric namespace with its
/// wireserver, N node namespaces, and the pod namespaces the test adds. Dispose kills what the test started,
/// deletes every pod namespace and tears the bed down, whatever happened before.
/// </summary>
public sealed class SimulatedAzure : IDisposable
{
    private readonly ConcurrentDictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Process> _background = [];
    private int _disposed;

    private SimulatedAzure(string prefix, int nodes, bool dualStack = false)
    {
        Prefix = prefix;
        DualStack = dualStack;
        Directory = "/run/" + prefix;
        Nodes = Enumerable.Range(1, nodes).Select(n => new SimNode(this, n)).ToArray();
    }

    public const string Gateway = "10.240.0.1";

    /// <summary>The wireserver, in the fabric: an address outside the VNet address space.</summary>
    public const string Wireserver = "168.63.129.16";

    public string Prefix { get; }

    /// <summary>The sources (wireserver, interfaces.json) list <see cref="VnetCidr6"/> besides the IPv4 subnet.</summary>
    public bool DualStack { get; }

    /// <summary>The IPv6 subnet of a dual-stack bed: node N's secondaries are fd00:240::N:5 and up (simnet.sh).</summary>
    public const string VnetCidr6 = "fd00:240::/64";

    /// <summary>The gateway azure-vnet-ipam gives the IPv6 subnet: its prefix|::1.</summary>
    public const string Gateway6 = "fd00:240::1";

    /// <summary>SIMNET_DIR: the per-node sources, states and configs.</summary>
    public string Directory { get; }

    public string FabricNamespace => Prefix + "-vnet";

    public IReadOnlyList<SimNode> Nodes { get; }

    /// <summary>The VNet address space simnet's nodes live in (what host-check's masquerade exempts).</summary>
    public const string VnetCidr = "10.240.0.0/16";

    private Dictionary<string, string> SimnetEnvironment(int secondaries, bool freshNodes = false)
    {
        var environment = new Dictionary<string, string>
        {
            ["SIMNET_PREFIX"] = Prefix,
            ["SIMNET_DIR"] = Directory,
            ["SIMNET_SECONDARIES"] = secondaries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SIMNET_FRESH_NODES"] = freshNodes ? "1" : "0",
            ["SIMNET_DUAL_STACK"] = DualStack ? "1" : "0",
        };
        // simnet prepares each node with the published azure-vnet's host-check --fix.
        if (Requirements.BinDir is { } bin)
            environment["AZURE_CNI_BIN_DIR"] = bin;
        return environment;
    }

    /// <summary>
    /// Brings up a bed. Its nodes start as fresh VMs (ip_forward 0, FORWARD policy DROP, no MASQUERADE) and are
    /// prepared by <c>azure-vnet host-check --fix</c>, as the seed README tells non-AKS users; with
    /// <paramref name="freshNodes"/> they are left fresh. With <paramref name="dualStack"/> the sources list each node's
    /// IPv6 secondaries too.
    /// </summary>
    public static SimulatedAzure Start(int nodes = 2, int secondaries = 30, bool freshNodes = false, bool dualStack = false)
    {
        var bed = new SimulatedAzure("azcni-e2e-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)), nodes, dualStack);
        try
        {
            Shell.Check([Repository.Simnet, "up", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture)], bed.SimnetEnvironment(secondaries, freshNodes));
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
        _pods[pod.Namespace] = pod;
        Shell.Check(["ip", "netns", "add", pod.Namespace]);
        Shell.Check(["ip", "-n", pod.Namespace, "link", "set", "lo", "up"]);
        return pod;
    }

    /// <summary>Deletes a pod's namespace before the bed goes (a runtime removing a sandbox); true when it is gone.</summary>
    public bool DeletePod(Pod pod)
    {
        bool deleted = Shell.Run(["ip", "netns", "del", pod.Namespace]).Succeeded;
        if (deleted)
            _pods.TryRemove(pod.Namespace, out _);
        return deleted;
    }

    /// <summary>The namespaces of this bed that exist now (fabric, nodes, pods): none once it is disposed.</summary>
    public IReadOnlyList<string> LiveNamespaces() =>
        Shell.Check(["ip", "netns", "list"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(Prefix + "-", StringComparison.Ordinal))
            .ToArray();

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

    /// <summary>Tears the bed down; a second call (a test that disposes early to check the teardown) does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
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
        foreach (Pod pod in _pods.Values)
            Shell.Run(["ip", "netns", "del", pod.Namespace]);
        Shell.Run([Repository.Simnet, "down"], SimnetEnvironment(0));
    }
}
