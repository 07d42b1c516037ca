using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Ipam;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>azure-vnet's in-process IPAM on a dual-stack node: one ADD gives the data path one address of each family.</summary>
public sealed class DualStackIpamTests : IDisposable
{
    private const string Container = "dual-1";
    private readonly FakeNode _node = new();

    public DualStackIpamTests() =>
        File.WriteAllText(Path.Combine(_node.Dir, "interfaces.json"), """
            {"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[
              {"Prefix":"10.240.0.0/16","IPAddresses":[{"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false}]},
              {"Prefix":"fd00:240::/64","IPAddresses":[{"Address":"fd00:240::4","IsPrimary":true},{"Address":"fd00:240::5","IsPrimary":false}]}]}]}
            """);

    public void Dispose() => _node.Dispose();

    [Fact]
    public void InProcessIpamHandsBothFamiliesToTheDataPathAndDelReleasesBoth()
    {
        byte[] stdin = System.Text.Encoding.UTF8.GetBytes(_node.Config("transparent"));
        var request = new CniRequest
        {
            Command = CniCommand.Add,
            Config = AzureCni.Json.CniJson.Parse<NetConf>(stdin),
            StdinData = stdin,
            ContainerId = Container,
            IfName = "eth0",
        };
        var environment = new Dictionary<string, string> { ["AZURE_CNI_STATE_DIR"] = _node.Dir };
        var ipam = IpamBackend.For(VnetConfig.From(request), environment);

        CniResult result = ipam.Add(request);
        Assert.Equal(["10.240.0.5/16", "fd00:240::5/64"], result.Ips.Select(ip => ip.Address.ToString()));
        Assert.Equal(["10.240.0.1", "fd00:240::1"], result.Ips.Select(ip => ip.Gateway?.ToString()));
        Assert.Equal(["0.0.0.0/0", "::/0"], result.Routes.Select(r => r.Destination.ToString()));
        Assert.Equal(["10.240.0.0/16", "fd00:240::/64"], ipam.PoolSubnets(out _));

        ipam.Delete(request);
        Assert.DoesNotContain(Container, File.ReadAllText(Path.Combine(_node.Dir, "azure-vnet-ipam.json")), StringComparison.Ordinal);
    }

    // What the IPv6 data path does with the second address (routes, neighbours, sysctls) is its own tests' business:
    // here, that both addresses reach the pod and the result, and that DEL hands both back.
    [Theory]
    [InlineData("transparent")]
    [InlineData("bridge")]
    public void AddOnADualStackNodeGivesThePodBothAddressesAndDelReleasesBoth(string mode)
    {
        _node.AddPod("pod1");
        var add = _node.Run("ADD", Container, "pod1", _node.Config(mode));
        Assert.True(add.Exit == 0, add.ToString());
        Assert.Equal(["10.240.0.5/16", "fd00:240::5/64"], add.Json.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()));
        Assert.Contains("/fake/netns/pod1: add address 10.240.0.5/16 dev eth0", _node.Kernel.Journal);
        Assert.Contains("/fake/netns/pod1: add address fd00:240::5/64 dev eth0", _node.Kernel.Journal);
        Assert.Contains("fd00:240::5", _node.State("azure-vnet.json"), StringComparison.Ordinal);

        var del = _node.Run("DEL", Container, "pod1", _node.Config(mode));
        Assert.True(del.Exit == 0, del.Stdout + del.Stderr);
        Assert.DoesNotContain(Container, _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
    }

    // Upstream's dual-stack conflists set ipv6Mode: the pod must get both families, or the ADD fails whole.
    [Theory]
    [InlineData("transparent")]
    [InlineData("bridge")]
    public void Ipv6ModeOnADualStackNodeGivesBothAddresses(string mode)
    {
        _node.AddPod("pod1");
        var add = _node.Run("ADD", Container, "pod1", _node.Config(mode, ",\"ipv6Mode\":\"ipv6nat\""));
        Assert.True(add.Exit == 0, add.ToString());
        Assert.Equal(["10.240.0.5/16", "fd00:240::5/64"], add.Json.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()));
    }

    [Theory]
    [InlineData("transparent")]
    [InlineData("bridge")]
    public void Ipv6ModeOnANodeWithoutIpv6FailsWithCode7AndKeepsNothing(string mode)
    {
        File.WriteAllText(Path.Combine(_node.Dir, "interfaces.json"), """
            {"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[
              {"Prefix":"10.240.0.0/16","IPAddresses":[{"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false}]}]}]}
            """);
        _node.AddPod("pod1");
        int before = _node.Kernel.Journal.Count;

        var add = _node.Run("ADD", Container, "pod1", _node.Config(mode, ",\"ipv6Mode\":\"ipv6nat\""));

        Assert.Equal(1, add.Exit);
        Assert.Equal(7, add.Json.GetProperty("code").GetInt32());
        Assert.Contains("ipv6Mode \"ipv6nat\" asks for a dual-stack pod, but IPAM (azure-vnet-ipam) returned no IPv6 address", add.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Container, _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
        Assert.DoesNotContain(Container, _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.DoesNotContain(_node.Kernel.Journal.Skip(before), line => line.Contains("/fake/netns/pod1", StringComparison.Ordinal));
    }
}
