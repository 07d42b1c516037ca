using System.Text.Json;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// `azure-vnet show` and `azure-vnet-ipam show` in a simulated node whose state the real plugins made through libcni:
/// consistent, then one hand-made fault at a time (a host route deleted, a leaked host link, an orphaned reservation).
/// </summary>
public sealed class ShowTests
{
    private static string Plugin(string name) => Requirements.PublishedBinary(name)!;

    private static CommandResult Show(SimNode node, params string[] args) =>
        Shell.Run(["ip", "netns", "exec", node.Namespace, Plugin("azure-vnet"), "show", .. args], node.PluginEnvironment);

    private static (int ExitCode, JsonElement Report) ShowJson(SimNode node)
    {
        var result = Show(node, "--json");
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return (result.ExitCode, document.RootElement.Clone());
    }

    private static List<(string Kind, string Object)> Problems(JsonElement report) =>
        report.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("kind").GetString()!, p.GetProperty("object").GetString()!)).ToList();

    private static string StateBefore(SimNode node) =>
        string.Join("\n", Directory.GetFiles(node.StateDir, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText));

    [EndToEndFact]
    public void Show_ReportsAConsistentNode_ThenEachHandMadeFault_WithExitOne()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 8);
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(NetworkConfigs.Transparent));
        Pod a = bed.CreatePod(node, "a"), b = bed.CreatePod(node, "b");
        node.Add(a, conf);
        node.Add(b, conf);

        // Consistent: exit 0, both endpoints with their addresses, the pool with its counts.
        var text = Show(node);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(a.ContainerId[..12], text.Stdout);
        Assert.Contains(a.Ip + "/", text.Stdout);
        Assert.Contains("consistent", text.Stdout);
        var (code, report) = ShowJson(node);
        Assert.Equal(0, code);
        Assert.True(report.GetProperty("consistent").GetBoolean());
        var endpoints = report.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(2, endpoints.Count);
        var endpointA = endpoints.Single(e => e.GetProperty("containerID").GetString() == a.ContainerId);
        Assert.Equal("transparent", endpointA.GetProperty("mode").GetString());
        Assert.StartsWith("azv", endpointA.GetProperty("hostLink").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("", endpointA.GetProperty("created").GetString());
        var pool = report.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("subnet").GetString() == "10.240.0.0/16");
        Assert.Equal(2, pool.GetProperty("inUse").GetInt32());
        Assert.Equal(pool.GetProperty("total").GetInt32(), pool.GetProperty("inUse").GetInt32() + pool.GetProperty("free").GetInt32() + pool.GetProperty("stale").GetInt32());

        // The host route of a, deleted by hand.
        string hostLinkA = endpointA.GetProperty("hostLink").GetString()!;
        Assert.True(node.Exec("ip", "route", "del", a.Ip + "/32", "dev", hostLinkA).Succeeded);
        (code, report) = ShowJson(node);
        Assert.Equal(1, code);
        Assert.Equal([("missing-host-route", $"{a.Ip}/32 dev {hostLinkA}")], Problems(report));
        Assert.Contains("GC", report.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.True(node.Exec("ip", "route", "add", a.Ip + "/32", "dev", hostLinkA, "scope", "link", "proto", "static").Succeeded);
        Assert.Equal(0, Show(node).ExitCode);

        // A leaked host link: a veth of ours that no endpoint owns.
        Assert.True(node.Exec("ip", "link", "add", "azv0123456789a", "type", "veth", "peer", "name", "leakpeer0").Succeeded);
        var leaked = Show(node);
        Assert.Equal(1, leaked.ExitCode);
        Assert.Contains("leaked-host-link", leaked.Stdout);
        Assert.Contains("fix:", leaked.Stdout);
        Assert.Equal([("leaked-host-link", "azv0123456789a")], Problems(ShowJson(node).Report));
        var dryRun = Show(node, "--gc-dry-run");
        Assert.Contains("leaked-host-link azv0123456789a", dryRun.Stdout);
        Assert.True(node.Exec("ip", "link", "del", "azv0123456789a").Succeeded);

        // An orphaned reservation: the IPAM plugin asked directly, in the network azure-vnet uses, for no endpoint.
        string orphan = "0rphan" + new string('0', 58);
        var env = new Dictionary<string, string>(node.PluginEnvironment)
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = orphan, ["CNI_NETNS"] = a.NetnsPath, ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = Requirements.BinDir!,
        };
        string netconf = """{"cniVersion":"1.0.0","name":"azure","type":"azure-vnet","ipam":{"type":"azure-vnet-ipam","environment":"azure"}}""";
        var reserved = Shell.Run(["ip", "netns", "exec", node.Namespace, Plugin("azure-vnet-ipam")], env, null, netconf);
        Assert.True(reserved.Succeeded, reserved.ToString());
        string orphanAddress = JsonDocument.Parse(reserved.Stdout).RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
        string before = StateBefore(node);
        (code, report) = ShowJson(node);
        Assert.Equal(1, code);
        Assert.Equal([("orphaned-reservation", orphanAddress)], Problems(report));
        Assert.Contains($"orphaned-reservation {orphanAddress}", Show(node, "--gc-dry-run").Stdout);
        Assert.Equal(before, StateBefore(node)); // show never changes anything

        // azure-vnet-ipam show: the pool counts the orphan too, and lists its owner.
        var ipam = Shell.Run(["ip", "netns", "exec", node.Namespace, Plugin("azure-vnet-ipam"), "show", "--json"], node.PluginEnvironment);
        Assert.True(ipam.ExitCode == 0, ipam.ToString());
        using var ipamReport = JsonDocument.Parse(ipam.Stdout);
        Assert.Equal(3, ipamReport.RootElement.GetProperty("pools").EnumerateArray().Sum(p => p.GetProperty("inUse").GetInt32()));
        Assert.Contains(ipamReport.RootElement.GetProperty("reservations").EnumerateArray(), r => r.GetProperty("containerID").GetString() == orphan);

        env["CNI_COMMAND"] = "DEL";
        Assert.True(Shell.Run(["ip", "netns", "exec", node.Namespace, Plugin("azure-vnet-ipam")], env, null, netconf).Succeeded);
        Assert.Equal(0, Show(node).ExitCode);
        node.Succeeds("del", a, conf);
        node.Succeeds("del", b, conf);
    }
}
