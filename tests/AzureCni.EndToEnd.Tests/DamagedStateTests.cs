using System.Text.Json;
using System.Text.RegularExpressions;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// Both state files damaged under 20 live pods, in both modes, with the runtime's libcni result cache on the node:
/// each command gives the outcome docs/operations.md documents ("a state file is damaged"), no DEL fails, no
/// address in use is handed out twice, and the damaged file is kept.
/// </summary>
public sealed class DamagedStateTests
{
    private const int LivePods = 20;
    private static readonly string[] StateFiles = ["azure-vnet.json", "azure-vnet-ipam.json"];

    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent, "empty")]
    [InlineData(NetworkConfigs.Transparent, "truncated")]
    [InlineData(NetworkConfigs.Transparent, "nul")]
    [InlineData(NetworkConfigs.Transparent, "directory")]
    [InlineData(NetworkConfigs.Transparent, "newer")]
    [InlineData(NetworkConfigs.Bridge, "empty")]
    [InlineData(NetworkConfigs.Bridge, "truncated")]
    [InlineData(NetworkConfigs.Bridge, "nul")]
    [InlineData(NetworkConfigs.Bridge, "directory")]
    [InlineData(NetworkConfigs.Bridge, "newer")]
    public void Twenty_live_pods_survive_a_damaged_state_file(string mode, string damage)
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: LivePods + 4);
        SimNode node = bed.Nodes[0];
        string rawConfig = NetworkConfigs.AzureVnet(mode);
        string conflist = node.WriteConflist("azure", rawConfig);
        string pluginConfig = PluginConfig(rawConfig);

        Pod[] pods = Enumerable.Range(1, LivePods).Select(i => bed.CreatePod(node, "live-" + i)).ToArray();
        Parallel.ForEach(pods, pod => node.Add(pod, conflist));
        var live = pods.Select(p => p.Ip).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(LivePods, live.Count);

        foreach (string file in StateFiles)
            Damage(Path.Combine(node.StateDir, file), damage);
        bool newer = damage == "newer";

        // STATUS: a rebuild is done and reported; a newer release's file makes the node unready.
        var status = node.Plugin("STATUS", pluginConfig);
        if (newer)
        {
            Assert.Equal(50, ErrorCode(status));
            Assert.Contains("has version 9", status.Stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(status.Succeeded, status.ToString());
            Assert.Contains("unreadable", status.Stderr, StringComparison.Ordinal);
            foreach (string file in StateFiles)
            {
                string copy = Assert.Single(Directory.EnumerateFileSystemEntries(node.StateDir, file + ".corrupt-*"));
                Assert.Contains(copy, File.ReadAllText(Path.Combine(node.Directory, Path.GetFileNameWithoutExtension(file) + ".log")), StringComparison.Ordinal);
            }
        }

        // ADD of new pods while the 20 live: fresh addresses, or code 5 naming both versions.
        Pod[] fresh = Enumerable.Range(1, 2).Select(i => bed.CreatePod(node, "new-" + i)).ToArray();
        foreach (Pod pod in fresh)
        {
            var add = node.Cni("add", pod, conflist);
            if (newer)
            {
                Assert.False(add.Succeeded);
                Assert.Contains("has version 9", add.Stdout + add.Stderr, StringComparison.Ordinal);
                Assert.Contains("reads version 1", add.Stdout + add.Stderr, StringComparison.Ordinal);
                continue;
            }

            Assert.True(add.Succeeded, add.ToString());
            string address = Regex.Match(add.Stdout, @"""address"":\s*""([\d.]+)/").Groups[1].Value;
            Assert.True(live.Add(address), $"{address} handed out twice");
            pod.Address = System.Net.IPAddress.Parse(address);
        }

        // CHECK of live pods, and GC listing every live attachment.
        foreach (Pod pod in pods.Take(3))
        {
            var check = node.Cni("check", pod, conflist);
            Assert.True(newer ? !check.Succeeded : check.Succeeded, check.ToString());
        }

        Pod[] all = newer ? pods : [.. pods, .. fresh];
        string valid = string.Join(",", all.Select(p => $$"""{"containerID":"{{p.ContainerId}}","ifname":"eth0"}"""));
        var gc = node.Plugin("GC", pluginConfig.Insert(pluginConfig.LastIndexOf('}'), ",\"cni.dev/valid-attachments\":[" + valid + "]"));
        Assert.True(newer ? ErrorCode(gc) == 5 : gc.Succeeded, gc.ToString());

        // DEL of every pod succeeds and removes what it made, whatever the file held.
        Parallel.ForEach(all, pod => node.Succeeds("del", pod, conflist));
        foreach (Pod pod in all)
            bed.DeletePod(pod);
        node.AssertNoVethLinksWithin(TimeSpan.FromSeconds(5));
        string dump = node.NetworkDump();
        foreach (Pod pod in all)
            Assert.DoesNotMatch($@"(?<![\d.]){Regex.Escape(pod.Ip)}(?![\d])", dump);

        if (newer)
        {
            foreach (string file in StateFiles)
                Assert.Equal("{\"version\":9,\"future\":{\"shape\":[1]}}", File.ReadAllText(Path.Combine(node.StateDir, file)));
        }
        else
        {
            foreach (string file in StateFiles)
            {
                Assert.Single(Directory.EnumerateFileSystemEntries(node.StateDir, file + ".corrupt-*"));
                string state = File.ReadAllText(Path.Combine(node.StateDir, file));
                foreach (Pod pod in all)
                    Assert.DoesNotContain(pod.ContainerId, state, StringComparison.Ordinal);
            }
        }

    }

    private static void Damage(string path, string how)
    {
        byte[] bytes = File.ReadAllBytes(path);
        switch (how)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "truncated": File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); break;
            case "nul": File.WriteAllBytes(path, new byte[bytes.Length]); break;
            case "directory":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            case "newer": File.WriteAllText(path, "{\"version\":9,\"future\":{\"shape\":[1]}}"); break;
        }
    }

    // The conflist's azure-vnet plugin as a single config, for the commands libcni-client does not send (STATUS, GC).
    private static string PluginConfig(string conflist)
    {
        using var doc = JsonDocument.Parse(conflist);
        var plugin = doc.RootElement.GetProperty("plugins")[0];
        string body = plugin.GetRawText().TrimStart()[1..];
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"" + doc.RootElement.GetProperty("name").GetString() + "\"," + body;
    }

    private static int ErrorCode(CommandResult result)
    {
        if (result.Succeeded || result.Stdout.Length == 0)
            return 0;
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("code").GetInt32();
    }
}
