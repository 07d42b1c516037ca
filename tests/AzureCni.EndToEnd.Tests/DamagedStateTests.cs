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
    private const int FreshPods = 4;
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
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: LivePods + FreshPods);
        SimNode node = bed.Nodes[0];
        string rawConfig = NetworkConfigs.AzureVnet(mode);
        string conflist = node.WriteConflist("azure", rawConfig);
        string pluginConfig = PluginConfig(rawConfig);

        Pod[] pods = Enumerable.Range(1, LivePods).Select(i => bed.CreatePod(node, "live-" + i)).ToArray();
        Parallel.ForEach(pods, pod => node.Add(pod, conflist));
        var live = pods.Select(p => p.Ip).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(LivePods, live.Count);

        var damaged = StateFiles.ToDictionary(f => f, f => Damage(Path.Combine(node.StateDir, f), damage), StringComparer.Ordinal);
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
                // The damaged file kept as it was (a directory with what it held), named in the plugin's log.
                string copy = Assert.Single(Directory.EnumerateFileSystemEntries(node.StateDir, file + ".corrupt-*"));
                if (damaged[file] is { } bytes)
                    Assert.Equal(bytes, File.ReadAllBytes(copy));
                else
                    Assert.True(File.Exists(Path.Combine(copy, "kept")), $"{copy} lost what the directory held");
                Assert.Contains(copy, File.ReadAllText(Path.Combine(node.Directory, Path.GetFileNameWithoutExtension(file) + ".log")), StringComparison.Ordinal);
            }
        }

        // The live pods were not touched by the rebuild.
        foreach (Pod pod in pods.Take(3))
            Assert.True(pod.Reaches(SimulatedAzure.Gateway), $"{pod} lost its connectivity to the damaged file's rebuild");

        // ADD of new pods while the 20 live: fresh addresses, or code 5 naming both versions.
        // Every address the listing has left: none of them may be one a live pod holds.
        Pod[] fresh = Enumerable.Range(1, FreshPods).Select(i => bed.CreatePod(node, "new-" + i)).ToArray();
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

        // GC listing every live attachment but one: the one left out is removed (its DEL below still succeeds).
        Pod[] all = newer ? pods : [.. pods, .. fresh];
        Pod collected = all[^1];
        string valid = string.Join(",", all.Where(p => p != collected).Select(p => $$"""{"containerID":"{{p.ContainerId}}","ifname":"eth0"}"""));
        var gc = node.Plugin("GC", pluginConfig.Insert(pluginConfig.LastIndexOf('}'), ",\"cni.dev/valid-attachments\":[" + valid + "]"));
        Assert.True(newer ? ErrorCode(gc) == 5 : gc.Succeeded, gc.ToString());
        if (!newer)
        {
            Assert.DoesNotMatch($@"(?<![\d.]){Regex.Escape(collected.Ip)}(?![\d])", node.NetworkDump());
            foreach (string file in StateFiles)
                Assert.DoesNotContain(collected.ContainerId, File.ReadAllText(Path.Combine(node.StateDir, file)), StringComparison.Ordinal);
        }

        // DEL of every pod succeeds and removes what it made, whatever the file held.
        Parallel.ForEach(all, pod => node.Succeeds("del", pod, conflist));
        foreach (Pod pod in all)
            bed.DeletePod(pod);
        node.AssertNoVethLinks();
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

    /// <summary>Damages the file; returns the bytes it then holds (null: a directory took its place).</summary>
    private static byte[]? Damage(string path, string how)
    {
        byte[] bytes = File.ReadAllBytes(path);
        byte[]? damaged = how switch
        {
            "empty" => [],
            "truncated" => bytes[..(bytes.Length / 2)],
            "nul" => new byte[bytes.Length],
            "newer" => "{\"version\":9,\"future\":{\"shape\":[1]}}"u8.ToArray(),
            _ => null,
        };
        if (damaged is not null)
        {
            File.WriteAllBytes(path, damaged);
            return damaged;
        }

        File.Delete(path);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "kept"), "what the directory held");
        return null;
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
