using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>portMappings (the runtime's capability argument): the node's address and host port reach the pod.</summary>
public sealed class PortMappingTests
{
    private const int HostPort = 30080;
    private const int ContainerPort = 8080;

    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void A_listener_in_the_pod_answers_on_the_node_address_and_host_port_from_the_fabric_until_delete(string mode)
    {
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        string conf = node.WriteConflist("azure", NetworkConfigs.AzureVnet(mode));
        Pod pod = bed.CreatePod(node, "web");
        string mappings = $$"""{"portMappings":[{"hostPort":{{HostPort}},"containerPort":{{ContainerPort}},"protocol":"tcp"}]}""";
        node.Add(pod, conf, mappings);
        node.Succeeds("check", pod, conf, mappings);

        bed.StartBackground("ip", "netns", "exec", pod.Namespace, "socat", $"TCP-LISTEN:{ContainerPort},fork,reuseaddr", "SYSTEM:echo pong");
        Assert.True(WaitForListener(pod), "the pod's listener did not start");

        CommandResult answer = bed.InFabric("socat", "-T", "3", "-", $"TCP:{node.PrimaryIp}:{HostPort},connect-timeout=3");
        Assert.True(answer.Succeeded, $"no answer on {node.PrimaryIp}:{HostPort} from the fabric: {answer}");
        Assert.Equal("pong", answer.Stdout.Trim());

        node.Succeeds("del", pod, conf, mappings);
        Assert.DoesNotContain(HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture), node.NetworkDump(), StringComparison.Ordinal);
        // The last pod with port mappings takes their nat tables along (bridge mode keeps its bridge table).
        string tables = node.Exec("nft", "list", "tables").Stdout;
        Assert.DoesNotContain("table ip azure-cni", tables, StringComparison.Ordinal);
        Assert.DoesNotContain("table ip6 azure-cni", tables, StringComparison.Ordinal);
        CommandResult after = bed.InFabric("socat", "-T", "2", "-", $"TCP:{node.PrimaryIp}:{HostPort},connect-timeout=2");
        Assert.False(after.Succeeded && after.Stdout.Contains("pong", StringComparison.Ordinal), "the host port still reaches the pod after DEL");
    }

    private static bool WaitForListener(Pod pod)
    {
        for (int i = 0; i < 50; i++)
        {
            if (pod.Exec("ss", "-Hltn", $"sport = :{ContainerPort}").Stdout.Contains("LISTEN", StringComparison.Ordinal))
                return true;
            Thread.Sleep(100);
        }
        return false;
    }
}
