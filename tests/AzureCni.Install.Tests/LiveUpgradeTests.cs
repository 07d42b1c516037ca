using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AzureCni.Install.Tests;

/// <summary>
/// The seed README's node upgrade, done while pods come and go. The install script puts version A into a test root
/// prefix; in a simulated Azure node (the shared bed: scripts/simnet.sh), the real libcni runtime execs
/// &lt;prefix&gt;/opt/cni/bin/azure-vnet (transparent mode, azure-vnet-ipam on the simulated wireserver) with
/// CNI_PATH=&lt;prefix&gt;/opt/cni/bin for pods in their own network namespaces. Two loops of ADD, ping, DEL keep
/// running while the script replaces A with B. No call may fail, no address may be handed out twice, the endpoints
/// and addresses A wrote must be read and served by B, and after the last DEL and uninstall nothing may be left.
/// </summary>
public sealed partial class LiveUpgradeTests(ReleaseFixture releases, ITestOutputHelper output) : IClassFixture<ReleaseFixture>, IDisposable
{
    private const int Workers = 2;
    private const int RoundsPerVersion = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private readonly string _work = Repo.TempDir("upg");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [GeneratedRegex(@"^\S+ \[INF\] pid=\d+ (ADD|DEL|CHECK) container=\S+ ifname=eth0 network=azure outcome=ok ", RegexOptions.Multiline)]
    private static partial Regex OkLine();

    private static string? FirstAddress(CommandResult add)
    {
        if (!add.Succeeded)
        {
            return null;
        }

        using var result = JsonDocument.Parse(add.Stdout);
        string cidr = result.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!;
        return cidr[..cidr.IndexOf('/', StringComparison.Ordinal)];
    }

    /// <summary>azure-vnet.json's endpoints: container ID and addresses.</summary>
    private static List<(string Container, string Address)> Endpoints(SimNode node)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet.json")));
        return state.RootElement.GetProperty("endpoints").EnumerateArray()
            .SelectMany(e => e.GetProperty("addresses").EnumerateArray().Select(a => (
                e.GetProperty("containerID").GetString()!,
                a.GetString()!.Split('/')[0])))
            .ToList();
    }

    /// <summary>azure-vnet-ipam.json's allocated addresses (those with an owner), and every address it lists.</summary>
    private static (List<(string Container, string Address)> Allocated, List<string> Listed) IpamAddresses(SimNode node)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.StateDir, "azure-vnet-ipam.json")));
        var all = state.RootElement.GetProperty("pools").EnumerateArray()
            .SelectMany(p => p.GetProperty("addresses").EnumerateArray())
            .ToList();
        return (
            all.Where(a => a.TryGetProperty("containerId", out _))
                .Select(a => (a.GetProperty("containerId").GetString()!, a.GetProperty("address").GetString()!))
                .ToList(),
            all.Select(a => a.GetProperty("address").GetString()!).ToList());
    }

    [RootFact("azure-vnet", "azure-vnet-ipam")]
    public void UpgradeWhileAzureVnetAddsAndDeletesPods_NoCallFails_StateCarriesOver_UninstallLeavesNothing()
    {
        // Both releases first: B is a build of its own, which must not eat into the loops' time.
        var (versionA, archiveA) = releases.A;
        var (versionB, archiveB) = releases.B;
        Assert.NotEqual(versionA, versionB);
        string prefix = Path.Combine(_work, "root");
        Directory.CreateDirectory(prefix);
        string bin = Path.Combine(prefix, "opt/cni/bin");

        var install = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--from", archiveA, versionA]);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal(versionA, ReleaseFixture.VersionOf(Path.Combine(bin, "azure-vnet")));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var bed = SimulatedAzure.Start(nodes: 1, secondaries: 12);
        try
        {
            SimNode node = bed.Nodes[0];
            node.CniPath = bin; // the runtime's CNI_PATH: the installed plugins, nothing else
            string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Transparent));
            int calls = 0;

            // Pods that live through the upgrade.
            Pod[] sticky = [bed.CreatePod(node, "sticky-0"), bed.CreatePod(node, "sticky-1")];
            foreach (Pod pod in sticky)
            {
                node.Add(pod, conf);
                calls++;
            }

            Assert.NotEqual(sticky[0].Ip, sticky[1].Ip);
            Assert.True(sticky[0].Reaches(sticky[1].Ip), $"{sticky[0]} cannot reach {sticky[1]} under A");

            // Every address held by a live pod, with its owner: an ADD handing out a held one is a duplicate.
            // A pod leaves this map before its DEL starts, so its address is never free while still listed.
            var live = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            foreach (Pod pod in sticky)
            {
                Assert.True(live.TryAdd(pod.Ip, pod.ContainerId));
            }

            var failures = new ConcurrentQueue<string>();
            var rounds = new int[Workers];
            var roundsUnderB = new int[Workers];
            int upgraded = 0;
            using var stop = new ManualResetEventSlim();
            var workers = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
            {
                for (int i = 0; !stop.IsSet; i++)
                {
                    // Read before the round starts: a round counted under B ran every call with B.
                    bool underB = Volatile.Read(ref upgraded) == 1;
                    try
                    {
                        Pod pod = bed.CreatePod(node, $"w{w}-{i}");
                        var add = node.Cni("add", pod, conf);
                        string? address = FirstAddress(add);
                        if (address is null)
                        {
                            failures.Enqueue($"ADD {pod}: {add}");
                        }
                        else if (!live.TryAdd(address, pod.ContainerId))
                        {
                            failures.Enqueue($"ADD {pod.Namespace} got {address}, which {live.GetValueOrDefault(address)} holds");
                        }
                        else
                        {
                            if (!pod.Reaches(SimulatedAzure.Gateway))
                            {
                                failures.Enqueue($"{pod.Namespace} ({address}) cannot reach the gateway");
                            }

                            live.TryRemove(new KeyValuePair<string, string>(address, pod.ContainerId));
                        }

                        var del = node.Cni("del", pod, conf);
                        if (!del.Succeeded)
                        {
                            failures.Enqueue($"DEL {pod.Namespace}: {del}");
                        }

                        if (!bed.DeletePod(pod))
                        {
                            failures.Enqueue($"the namespace of {pod.Namespace} could not be deleted");
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue($"worker {w} round {i}: {e}");
                    }

                    Interlocked.Increment(ref rounds[w]);
                    if (underB)
                    {
                        Interlocked.Increment(ref roundsUnderB[w]);
                    }
                }
            })).ToList();
            workers.ForEach(t => t.Start());

            // Upgrade once both loops are going; stop after each has run a few whole rounds against B.
            SpinWait.SpinUntil(() => rounds.All(n => n >= RoundsPerVersion) || !failures.IsEmpty, Patience);
            int roundsBefore = rounds.Sum();
            var upgrade = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--from", archiveB, versionB]);
            Volatile.Write(ref upgraded, 1);
            int roundsDuring = rounds.Sum() - roundsBefore;
            SpinWait.SpinUntil(() => roundsUnderB.All(n => n >= RoundsPerVersion) || !failures.IsEmpty, Patience);
            stop.Set();
            workers.ForEach(t => t.Join());
            calls += rounds.Sum() * 2;
            output.WriteLine($"rounds per worker: {string.Join(", ", rounds)} ({string.Join(", ", roundsUnderB)} wholly under B, {roundsDuring} ended during the upgrade)");

            Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
            Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
            Assert.All(roundsUnderB, n => Assert.True(n >= RoundsPerVersion, $"rounds under B: {string.Join(", ", roundsUnderB)}"));
            Assert.Equal(versionB, ReleaseFixture.VersionOf(Path.Combine(bin, "azure-vnet")));
            Assert.Equal(versionB, ReleaseFixture.VersionOf(Path.Combine(bin, "azure-vnet-ipam")));
            Assert.Equal(versionA, ReleaseFixture.VersionOf(Path.Combine(bin, ".azure-cni/previous/azure-vnet")));

            // The state A wrote is intact: exactly the sticky pods' endpoints and addresses, each address once.
            var expected = sticky.Select(p => (p.ContainerId, p.Ip)).OrderBy(e => e.Ip, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, Endpoints(node).OrderBy(e => e.Address, StringComparer.Ordinal).ToList());
            var (allocated, listed) = IpamAddresses(node);
            Assert.Equal(expected, allocated.OrderBy(e => e.Address, StringComparer.Ordinal).ToList());
            Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());

            // B reads it: CHECK finds A's endpoints, and the sticky pods still reach each other and the gateway.
            foreach (Pod pod in sticky)
            {
                node.Succeeds("check", pod, conf);
                calls++;
                Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} lost the gateway across the upgrade");
            }

            Assert.True(sticky[1].Reaches(sticky[0].Ip), $"{sticky[1]} cannot reach {sticky[0]} under B");

            // B deletes what A added, down to the last route and state entry.
            foreach (Pod pod in sticky)
            {
                node.Succeeds("del", pod, conf);
                calls++;
                node.AssertNothingLeftOf(pod, pod.Address!);
                Assert.True(bed.DeletePod(pod), $"the namespace of {pod.Namespace} could not be deleted");
            }

            node.AssertNoVethLinks();
            Assert.Empty(Endpoints(node));
            Assert.Empty(IpamAddresses(node).Allocated);

            // Every call left its "ok" line in azure-vnet's log, under both versions.
            Assert.Equal(calls, OkLine().Matches(File.ReadAllText(Path.Combine(node.Directory, "azure-vnet.log"))).Count);

            var uninstall = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--uninstall"]);
            Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
            Assert.Empty(Repo.Tree(prefix));

            bed.Dispose();
            Assert.Empty(bed.LiveNamespaces());
            output.WriteLine($"{calls} azure-vnet calls; bed up to torn down in {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            bed.Dispose();
        }
    }
}
