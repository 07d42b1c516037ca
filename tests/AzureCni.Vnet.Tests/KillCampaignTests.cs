using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AzureCni.Vnet.Tests;

/// <summary>
/// kill -9 of the published azure-vnet during ADD, at a random moment 0-40 ms after it starts (start-up to the last
/// step of an ADD on these machines; some ADDs finish first), cycle after cycle on one
/// node, then the runtime's clean-up: DEL of the pod (the DEL variant) or a GC that lists no attachment (the GC
/// variant), and the pod's namespace deleted. At the end nothing of ours is left on the node (host veths, /32 routes,
/// permanent neighbours, attachment rules, endpoints, reservations) and the node still reaches the gateway.
/// AZURE_CNI_KILL_CYCLES sets the cycles per case (make test runs a few; the campaign 100).
/// </summary>
[Trait("Category", "Privileged")]
public sealed class KillCampaignTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static int Cycles => TestSettings.Count("AZURE_CNI_KILL_CYCLES", 12);

    [RootTheory("azure-vnet")]
    [InlineData("transparent", "DEL")]
    [InlineData("transparent", "GC")]
    [InlineData("bridge", "DEL")]
    [InlineData("bridge", "GC")]
    public void KilledAddsThenTheRuntimesCleanUp_LeaveNothingBehind(string mode, string cleanUp)
    {
        string binary = Requirements.PublishedBinary("azure-vnet")!;
        using var node = new VnetNode();
        string config = node.Config(mode, cniVersion: "1.1.0");
        string gcConfig = config.TrimEnd()[..^1] + """, "cni.dev/valid-attachments":[]}""";
        var random = new Random(mode.Length * 31 + cleanUp.Length);
        int killed = 0;
        for (int cycle = 0; cycle < Cycles; cycle++)
        {
            string container = $"kc{cycle.ToString("D4", CultureInfo.InvariantCulture)}000000000000000000";
            string pod = node.AddPod("p" + cycle.ToString(CultureInfo.InvariantCulture));
            using (Process add = Start(node, binary, "ADD", container, pod, config))
            {
                Thread.Sleep(random.Next(0, 41));
                if (!add.HasExited)
                {
                    add.Kill();
                    killed++;
                }

                add.WaitForExit();
            }

            var clean = cleanUp == "DEL"
                ? Finish(Start(node, binary, "DEL", container, pod, config))
                : Finish(Start(node, binary, "GC", "", null, gcConfig));
            Assert.True(clean.Exit == 0, $"cycle {cycle}: {cleanUp} after the kill failed: {clean.Output}");
            node.DeleteNamespace(pod);
        }

        var gc = Finish(Start(node, binary, "GC", "", null, gcConfig));
        Assert.True(gc.Exit == 0, gc.Output);
        output.WriteLine($"{mode}, {cleanUp}: {killed} of {Cycles} ADDs killed while running");
        Assert.True(killed > 0, "no ADD was still running when its kill came");

        Assert.DoesNotContain("azv", VnetNode.Run("ip", "-n", node.Node, "link"));
        Assert.DoesNotContain("/32", VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
        Assert.DoesNotMatch(@"10\.240\.0\.\d+ .*PERMANENT", VnetNode.Run("ip", "-n", node.Node, "neigh", "show"));
        Assert.DoesNotContain("azcni:kc", VnetNode.Run("ip", "netns", "exec", node.Node, "nft", "list", "ruleset"));
        // No state file at all when every ADD died before writing one.
        string vnetState = node.StateText("azure-vnet.json");
        using (var vnet = JsonDocument.Parse(vnetState.Length == 0 ? """{"endpoints":[]}""" : vnetState))
            Assert.Empty(vnet.RootElement.GetProperty("endpoints").EnumerateArray());
        Assert.DoesNotContain("\"containerId\": \"kc", node.StateText("azure-vnet-ipam.json"), StringComparison.OrdinalIgnoreCase);
        Assert.True(VnetNode.Ping(node.Node, "10.240.0.1"), "the node no longer reaches the gateway");
    }

    private static Process Start(VnetNode node, string binary, string command, string container, string? pod, string config)
    {
        // nsenter execs the plugin in place (ip netns exec forks), so the kill reaches the plugin itself.
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["--net=" + VnetNode.NetnsPath(node.Node), binary])
            start.ArgumentList.Add(arg);
        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = container;
        start.Environment["CNI_NETNS"] = pod is null ? "" : VnetNode.NetnsPath(pod);
        start.Environment["CNI_IFNAME"] = "eth0";
        start.Environment["CNI_PATH"] = "/nonexistent";
        start.Environment["AZURE_CNI_STATE_DIR"] = node.StateDir;
        start.Environment["AZURE_CNI_LOG_DIR"] = node.StateDir;
        var process = Process.Start(start)!;
        process.StandardInput.Write(config);
        process.StandardInput.Close();
        return process;
    }

    private static (int Exit, string Output) Finish(Process process)
    {
        using (process)
        {
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException("a plugin call did not end within 60 s");
            }

            return (process.ExitCode, output);
        }
    }
}
