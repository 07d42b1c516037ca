using System.Security.Cryptography;
using AzureCni.Cni;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux;

namespace AzureCni.Vnet.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(119)]
    [InlineData(1000)]
    public void Sha1_MatchesTheFrameworks(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        byte[] ours = new byte[Sha1.HashSize];

        Sha1.HashData(data, ours);

        Assert.Equal(SHA1.HashData(data), ours);
    }

    [Fact]
    public void HostVeth_IsUniquePerAttachment_NotPerPod()
    {
        var pod = new CniRequest { Command = CniCommand.Add, Config = new() { Name = "azure" }, ContainerId = "abc", IfName = "eth0", PodNamespace = "kube-system", PodName = "coredns-1" };
        var nextSandbox = new CniRequest { Command = CniCommand.Add, Config = new() { Name = "azure" }, ContainerId = "def", IfName = "eth0", PodNamespace = "kube-system", PodName = "coredns-1" };
        string expected = "azv" + Convert.ToHexStringLower(SHA1.HashData("azureabceth0"u8))[..11];

        Assert.Equal(expected, HostNames.HostVeth(pod));
        Assert.NotEqual(expected, HostNames.HostVeth(nextSandbox));
        Assert.Equal(14, expected.Length);
    }

    [Theory]
    [InlineData("""{"name":"n","type":"azure-vnet","mode":"tunnel"}""", 7)]
    [InlineData("""{"name":"n","type":"azure-vnet","logLevel":"trace"}""", 7)]
    [InlineData("""{"name":"n","type":"azure-vnet","bridge":"a-very-long-bridge-name"}""", 7)]
    [InlineData("""{"name":"n","type":"azure-vnet","mode":5}""", 6)]
    public void Config_Invalid_IsRejectedWithItsCode(string json, int code)
    {
        byte[] stdin = System.Text.Encoding.UTF8.GetBytes(json);
        var request = new CniRequest { Command = CniCommand.Add, Config = AzureCni.Json.CniJson.Parse<AzureCni.Cni.Types.NetConf>(stdin), StdinData = stdin };

        var e = Assert.Throws<CniException>(() => VnetConfig.From(request));

        Assert.Equal(code, (int)e.Code);
    }

    [Fact]
    public void Config_Defaults_BridgeModeWithInProcessIpam()
    {
        byte[] stdin = """{"name":"n","type":"azure-vnet"}"""u8.ToArray();
        var request = new CniRequest { Command = CniCommand.Add, Config = AzureCni.Json.CniJson.Parse<AzureCni.Cni.Types.NetConf>(stdin), StdinData = stdin };

        var config = VnetConfig.From(request);

        Assert.Equal(VnetMode.Bridge, config.Mode);
        Assert.True(config.InProcessIpam);
        Assert.False(config.Debug);
    }
}
