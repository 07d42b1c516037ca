using System.Globalization;

namespace AzureCni.Vnet.Tests;

/// <summary>
/// The published azure-vnet killed (SIGKILL, injected by strace) at each netlink send of the first bridge-mode ADD on a
/// fresh node: whatever the send, a DEL and a new pod's ADD afterwards leave the node with its address and default
/// route on the bridge, the new pod reaching the gateway, and no neighbour entry but the new pod's.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class KilledNodeSetupTests
{
    private const string Killed = "k111000000000000000000000001";
    private const string Next = "k222000000000000000000000002";

    [RootFact("azure-vnet")]
    public void KillAtEachSendOfTheFirstBridgeAdd_TheNextCallsLeaveAConnectedNode()
    {
        string binary = Requirements.PublishedBinary("azure-vnet")!;
        int sends = 0;
        for (int n = 1; n <= 200; n++)
        {
            using var node = new VnetNode();
            string pod = node.AddPod("pod");
            string config = node.Config("bridge");
            var killed = RunPlugin(node, binary, "ADD", Killed, pod, config, killAtSend: n);
            if (killed.Exit == 0)
            {
                sends = n - 1; // the ADD made fewer sends than n: every send has had its kill
                break;
            }

            Assert.True(killed.Exit == 137 || killed.Output.Contains("killed by SIGKILL", StringComparison.Ordinal),
                $"send {n}: the ADD was not killed: {killed.Output}");

            var del = RunPlugin(node, binary, "DEL", Killed, pod, config);
            Assert.True(del.Exit == 0, $"send {n}: DEL after the kill failed: {del.Output}");
            string pod2 = node.AddPod("pod2");
            var add = RunPlugin(node, binary, "ADD", Next, pod2, config);
            Assert.True(add.Exit == 0, $"send {n}: the next ADD failed: {add.Output}");

            int eth0 = VnetNode.IpJson(node.Node, "link", "show", "eth0")[0].GetProperty("ifindex").GetInt32();
            string bridge = "azure" + eth0.ToString(CultureInfo.InvariantCulture);
            Assert.Contains("inet 10.240.0.4/16", VnetNode.Run("ip", "-n", node.Node, "addr", "show", "dev", bridge));
            Assert.DoesNotContain("10.240.0.4", VnetNode.Run("ip", "-n", node.Node, "addr", "show", "dev", "eth0"));
            Assert.Contains("default via 10.240.0.1 dev " + bridge, VnetNode.Run("ip", "-n", node.Node, "-4", "route"));
            Assert.True(VnetNode.Ping(node.Node, "10.240.0.1"), $"send {n}: the node does not reach the gateway");
            Assert.True(VnetNode.Ping(pod2, "10.240.0.1"), $"send {n}: the new pod does not reach the gateway");
            string address = add.Json().GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
            var permanent = VnetNode.Run("ip", "-n", node.Node, "neigh", "show", "nud", "permanent").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(permanent, line => Assert.StartsWith(address + " ", line, StringComparison.Ordinal));
        }

        Assert.True(sends >= 10, $"the first bridge ADD made only {sends} netlink sends; the kill never reached the node setup");
    }

    private static Outcome RunPlugin(VnetNode node, string binary, string command, string container, string pod, string config, int killAtSend = 0)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = container,
            ["CNI_NETNS"] = VnetNode.NetnsPath(pod),
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/nonexistent",
            ["AZURE_CNI_STATE_DIR"] = node.StateDir,
            ["AZURE_CNI_LOG_DIR"] = node.StateDir,
        };
        string[] args = killAtSend == 0
            ? ["ip", "netns", "exec", node.Node, binary]
            : ["ip", "netns", "exec", node.Node, "strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=sendto",
                "-e", $"inject=sendto:signal=KILL:when={killAtSend.ToString(CultureInfo.InvariantCulture)}", binary];
        CommandResult result = Shell.Run(args, env, stdin: config);
        return new Outcome(result.ExitCode, result.Stdout, result.Output);
    }

    private sealed record Outcome(int Exit, string Stdout, string Output)
    {
        public System.Text.Json.JsonElement Json()
        {
            using var doc = System.Text.Json.JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
    }
}
