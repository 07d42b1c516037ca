using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>Many pods at once: every node's whole secondary list added and deleted in parallel, three rounds.</summary>
public sealed class ScaleTests
{
    private const int PodsPerNode = 30;
    private const int Rounds = 3;

    [EndToEndFact]
    public void Thirty_pods_per_node_in_parallel_get_distinct_addresses_and_leave_nothing_three_rounds_running()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 2, secondaries: PodsPerNode);
        var confs = bed.Nodes.ToDictionary(n => n, n => n.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Transparent)));

        for (int round = 1; round <= Rounds; round++)
        {
            Pod[] pods = bed.Nodes
                .SelectMany(node => Enumerable.Range(1, PodsPerNode).Select(i => bed.CreatePod(node, $"r{round}-n{node.Index}-{i}")))
                .ToArray();
            var failures = new ConcurrentQueue<string>();
            var options = new ParallelOptions { MaxDegreeOfParallelism = pods.Length };

            Parallel.ForEach(pods, options, pod =>
            {
                CommandResult add = pod.Node.Cni("add", pod, confs[pod.Node]);
                if (!add.Succeeded)
                    failures.Enqueue($"round {round}: ADD {pod.Namespace}: {add}");
            });
            Assert.True(failures.IsEmpty, string.Join('\n', failures));

            // The addresses as each pod's namespace holds them (not only as the results say).
            foreach (Pod pod in pods)
            {
                Match held = Regex.Match(pod.Exec("ip", "-4", "-o", "addr", "show", "dev", "eth0").Stdout, @"inet (\d+\.\d+\.\d+\.\d+)/");
                Assert.True(held.Success, $"round {round}: {pod.Namespace} has no IPv4 address on eth0");
                pod.Address = IPAddress.Parse(held.Groups[1].Value);
                Assert.StartsWith($"10.240.{pod.Node.Index}.", pod.Ip, StringComparison.Ordinal);
            }
            string[] duplicates = pods.GroupBy(p => p.Ip).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            Assert.True(duplicates.Length == 0, $"round {round}: duplicate addresses {string.Join(", ", duplicates)}");

            Parallel.ForEach(pods, options, pod =>
            {
                CommandResult del = pod.Node.Cni("del", pod, confs[pod.Node]);
                if (!del.Succeeded)
                    failures.Enqueue($"round {round}: DEL {pod.Namespace}: {del}");
            });
            Assert.True(failures.IsEmpty, string.Join('\n', failures));

            foreach (Pod pod in pods)
                Shell.Run(["ip", "netns", "del", pod.Namespace]);
            foreach (SimNode node in bed.Nodes)
            {
                node.AssertNoVethLinks();
                string dump = node.NetworkDump();
                foreach (Pod pod in pods.Where(p => p.Node == node))
                {
                    Assert.DoesNotMatch($@"(?<![\d.]){Regex.Escape(pod.Ip)}(?![\d])", dump);
                    Assert.Empty(node.StateFilesMentioning(pod.ContainerId));
                }
            }
        }
    }
}
