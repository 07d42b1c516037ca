using System.Net;
using System.Text;
using AzureCni.Cni.Types;

namespace AzureCni.Cni.Tests;

public class HostTests
{
    private static CniResult SampleResult()
    {
        var result = new CniResult();
        result.Interfaces.Add(new CniInterface { Name = "eth0", Mac = "aa:bb:cc:dd:ee:ff", Mtu = 1500, Sandbox = "/var/run/netns/test" });
        result.Ips.Add(new CniIPConfig { Address = new(IPAddress.Parse("10.240.0.37"), 16), Gateway = IPAddress.Parse("10.240.0.1"), Interface = 0 });
        result.Routes.Add(new CniRoute { Destination = IPNetwork.Parse("0.0.0.0/0"), Gateway = IPAddress.Parse("10.240.0.1") });
        result.Dns.Nameservers.Add("168.63.129.16");
        return result;
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.1.0"}""")]
    [InlineData("""{"cniVersion":"0.1.0"}""")]
    [InlineData("")]
    [InlineData("not json at all")]
    public void VersionListsAllSevenVersions(string stdin)
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, stdin);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            JsonText.Normalize("""{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}"""),
            JsonText.Normalize(outcome.Stdout));
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("--version")]
    public void VersionFlagPrintsOneLine(string flag)
    {
        var outcome = Host.Run(new RecordingPlugin(), Host.Env("ADD"), Host.Conf11, [flag]);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("Azure CNI Version v1.2.3\n", outcome.Stdout);
    }

    [Fact]
    public void NoCommandWithAboutPrintsAboutToStderrAndSucceeds()
    {
        var outcome = Host.Run(new RecordingPlugin(), new Dictionary<string, string>(), "", about: "Azure CNI recording plugin v1.2.3");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(outcome.Stdout);
        Assert.Contains("Azure CNI recording plugin v1.2.3", outcome.Stderr);
        Assert.Contains("0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", outcome.Stderr);
    }

    [Fact]
    public void MissingCommandIsCode4()
    {
        var outcome = Host.Run(new RecordingPlugin(), new Dictionary<string, string>(), Host.Conf11);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(4, outcome.ErrorCode);
        Assert.Contains("CNI_COMMAND", outcome.Message);

        // Set but empty: an error even when the binary has an about line.
        var empty = Host.Run(new RecordingPlugin(), new Dictionary<string, string> { ["CNI_COMMAND"] = "" }, Host.Conf11, about: "x");
        Assert.Equal(4, empty.ErrorCode);
    }

    [Fact]
    public void UnknownCommandIsCode4NamingIt()
    {
        var outcome = Host.Run(new RecordingPlugin(), Host.Env("FROB"), Host.Conf11);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(4, outcome.ErrorCode);
        Assert.Contains("FROB", outcome.Message);
    }

    [Theory]
    [InlineData("ADD", "CNI_CONTAINERID")]
    [InlineData("ADD", "CNI_IFNAME")]
    [InlineData("ADD", "CNI_NETNS")]
    [InlineData("ADD", "CNI_PATH")]
    [InlineData("DEL", "CNI_CONTAINERID")]
    [InlineData("DEL", "CNI_IFNAME")]
    [InlineData("CHECK", "CNI_NETNS")]
    [InlineData("GC", "CNI_PATH")]
    [InlineData("STATUS", "CNI_PATH")]
    public void MissingRequiredVariableIsCode4NamingIt(string command, string variable)
    {
        var plugin = new RecordingPlugin();
        var env = Host.Env(command);
        env.Remove(variable);
        var outcome = Host.Run(plugin, env, Host.Conf11);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(4, outcome.ErrorCode);
        Assert.Contains(variable, outcome.Message);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public void DelWithoutNetnsIsAllowed()
    {
        var plugin = new RecordingPlugin();
        var env = Host.Env("DEL");
        env.Remove("CNI_NETNS");
        var outcome = Host.Run(plugin, env, Host.Conf11);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(outcome.Stdout);
        Assert.Single(plugin.Calls);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("\"name\"")]
    [InlineData("""{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet"} trailing""")]
    [InlineData("""{"cniVersion":1,"name":"azure","type":"azure-vnet"}""")]
    public void UnparsableStdinIsCode6(string stdin)
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("ADD"), stdin);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(6, outcome.ErrorCode);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public void BinaryGarbageIsACleanCode6()
    {
        var random = new Random(42);
        for (int i = 0; i < 50; i++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            var outcome = Host.Run(new RecordingPlugin(), Host.Env("ADD"), garbage);
            Assert.Equal(1, outcome.ExitCode);
            Assert.Equal(6, outcome.ErrorCode);
        }
    }

    [Fact]
    public void DeepNestingIsACleanCode6()
    {
        string deep = "{\"name\":\"a\",\"type\":\"b\",\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}";
        var outcome = Host.Run(new RecordingPlugin(), Host.Env("ADD"), deep);
        Assert.Equal(6, outcome.ErrorCode);
    }

    [Fact]
    public void StdinOverOneMebibyteIsRejectedWithoutDecoding()
    {
        var big = new byte[(1 << 20) + 10];
        Array.Fill(big, (byte)' ');
        Encoding.UTF8.GetBytes(Host.Conf11).CopyTo(big, 0);
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("ADD"), big);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(6, outcome.ErrorCode);
        Assert.Contains("1 MiB", outcome.Message);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public void StdinOfExactlyOneMebibyteIsAccepted()
    {
        var big = new byte[1 << 20];
        Array.Fill(big, (byte)' ');
        Encoding.UTF8.GetBytes(Host.Conf11).CopyTo(big, 0);
        var outcome = Host.Run(new RecordingPlugin(), Host.Env("DEL"), big);
        Assert.Equal(0, outcome.ExitCode);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.1.0","type":"azure-vnet"}""", "name")]
    [InlineData("""{"cniVersion":"1.1.0","name":"","type":"azure-vnet"}""", "name")]
    [InlineData("""{"cniVersion":"1.1.0","name":"azure"}""", "type")]
    [InlineData("""{"cniVersion":"1.1.0","name":"bad name","type":"azure-vnet"}""", "network name")]
    public void MissingNameOrTypeIsCode7(string conf, string messagePart)
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("ADD"), conf);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(7, outcome.ErrorCode);
        Assert.Contains(messagePart, outcome.Message);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public void UnsupportedVersionIsCode1()
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("ADD"), """{"cniVersion":"9.9.9","name":"azure","type":"azure-vnet"}""");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(1, outcome.ErrorCode);
        Assert.Contains("9.9.9", outcome.Details);
        Assert.Equal("1.1.0", outcome.Json.GetProperty("cniVersion").GetString());
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("CHECK", "0.3.1")]
    [InlineData("CHECK", "0.2.0")]
    [InlineData("GC", "1.0.0")]
    [InlineData("STATUS", "0.4.0")]
    public void CommandBeforeItsVersionIsCode1(string command, string version)
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env(command), $$"""{"cniVersion":"{{version}}","name":"azure","type":"azure-vnet"}""");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(1, outcome.ErrorCode);
        Assert.Contains(command, outcome.Message);
        Assert.Equal(version, outcome.Json.GetProperty("cniVersion").GetString());
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    [InlineData("GC")]
    [InlineData("STATUS")]
    public void SuccessfulCommandsOtherThanAddPrintNothing(string command)
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env(command), Host.Conf11);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(outcome.Stdout);
        Assert.Single(plugin.Calls);
    }

    [Fact]
    public void UnknownCniArgsKeyIsAnErrorNamingTheKeyAndTheEndOfIt()
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("ADD", "K8S_POD_NAME=a;SURPRISE=1"), Host.Conf11);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(4, outcome.ErrorCode);
        Assert.Contains("SURPRISE", outcome.Message);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public void DelToleratesUnknownCniArgs()
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("DEL", "K8S_POD_NAME=a;SURPRISE=1"), Host.Conf11);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("a", plugin.Calls[0].PodName);
    }

    [Fact]
    public void RequestCarriesEnvironmentArgsAndConfig()
    {
        var plugin = new RecordingPlugin { OnAdd = _ => SampleResult() };
        string conf = """{"cniVersion":"1.0.0","name":"azure","type":"azure-vnet","mode":"transparent","ipam":{"type":"azure-vnet-ipam","environment":"azure"}}""";
        var outcome = Host.Run(plugin, Host.Env("ADD", "IgnoreUnknown=1;K8S_POD_NAMESPACE=kube-system;K8S_POD_NAME=coredns-1;K8S_POD_UID=u"), conf);
        Assert.Equal(0, outcome.ExitCode);
        var request = Assert.Single(plugin.Calls);
        Assert.Equal(CniCommand.Add, request.Command);
        Assert.Equal("3ce2636e7e36", request.ContainerId);
        Assert.Equal("/var/run/netns/test", request.Netns);
        Assert.Equal("eth0", request.IfName);
        Assert.Equal("/opt/cni/bin", request.CniPath);
        Assert.Equal("kube-system", request.PodNamespace);
        Assert.Equal("coredns-1", request.PodName);
        Assert.Equal("1.0.0", request.CniVersion);
        Assert.Equal(SpecVersion.V1_0_0, request.Version);
        Assert.Equal("azure", request.Name);
        Assert.Equal("azure-vnet", request.Type);
        Assert.Equal("azure-vnet-ipam", request.Config.Ipam?.Type);
        Assert.Equal(conf, Encoding.UTF8.GetString(request.StdinData.Span));
        Assert.Equal("ADD", request.Environment["CNI_COMMAND"]);
    }

    [Fact]
    public void AddPrintsTheResultInTheConfigVersion()
    {
        var plugin = new RecordingPlugin { OnAdd = _ => SampleResult() };
        var outcome = Host.Run(plugin, Host.Env("ADD"), """{"cniVersion":"0.3.1","name":"azure","type":"azure-vnet"}""");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            JsonText.Normalize("""
            {"cniVersion":"0.3.1","interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","sandbox":"/var/run/netns/test"}],
             "ips":[{"version":"4","interface":0,"address":"10.240.0.37/16","gateway":"10.240.0.1"}],
             "routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}],"dns":{"nameservers":["168.63.129.16"]}}
            """),
            outcome.Stdout);
    }

    [Fact]
    public void ConfigWithoutVersionIsAnswered020()
    {
        var plugin = new RecordingPlugin { OnAdd = _ => SampleResult() };
        var outcome = Host.Run(plugin, Host.Env("ADD"), """{"name":"azure","type":"azure-vnet"}""");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(
            JsonText.Normalize("""
            {"cniVersion":"0.2.0","ip4":{"ip":"10.240.0.37/16","gateway":"10.240.0.1","routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}]},
             "dns":{"nameservers":["168.63.129.16"]}}
            """),
            outcome.Stdout);
    }

    [Fact]
    public void AddWhoseResultCannotBeConvertedPrintsOnlyTheError()
    {
        var plugin = new RecordingPlugin { OnAdd = _ => new CniResult() };
        var outcome = Host.Run(plugin, Host.Env("ADD"), """{"cniVersion":"0.2.0","name":"azure","type":"azure-vnet"}""");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("no valid IP addresses", outcome.Message);
        Assert.Equal("0.2.0", outcome.Json.GetProperty("cniVersion").GetString());
    }

    [Fact]
    public void PluginErrorsKeepTheirCodeAndDetails()
    {
        var plugin = new RecordingPlugin { Throw = new CniException(CniErrorCode.TryAgainLater, "store locked", "timed out after 30s") };
        var outcome = Host.Run(plugin, Host.Env("DEL"), """{"cniVersion":"0.4.0","name":"azure","type":"azure-vnet"}""");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(
            JsonText.Normalize("""{"cniVersion":"0.4.0","code":11,"msg":"store locked","details":"timed out after 30s"}"""),
            outcome.Stdout);
        Assert.Empty(outcome.Stderr);
    }

    [Fact]
    public void UnexpectedExceptionsBecomeCode100()
    {
        var plugin = new RecordingPlugin { Throw = new InvalidOperationException("boom") };
        var outcome = Host.Run(plugin, Host.Env("ADD"), Host.Conf11);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(100, outcome.ErrorCode);
        Assert.Equal("InvalidOperationException: boom", outcome.Message);
        Assert.Equal("", outcome.Details); // the stack trace is for the log, not the runtime
    }

    [Fact]
    public void GcMergesBothAttachmentKeys()
    {
        var plugin = new RecordingPlugin();
        string conf = """
        {"cniVersion":"1.1.0","name":"azure","type":"azure-vnet",
         "cni.dev/valid-attachments":[{"containerID":"a","ifname":"eth0"},{"containerID":"b","ifname":"eth0"}],
         "cni.dev/attachments":[{"containerID":"a","ifname":"eth0"},{"containerID":"c","ifname":"eth1"}]}
        """;
        var outcome = Host.Run(plugin, Host.Env("GC"), conf);
        Assert.Equal(0, outcome.ExitCode);
        var request = Assert.Single(plugin.Calls);
        Assert.Equal(3, request.ValidAttachments.Count);
        Assert.True(request.HasValidAttachments);
        Assert.True(request.IsValidAttachment("c", "eth1"));
        Assert.False(request.IsValidAttachment("c", "eth0"));

        plugin.Calls.Clear();
        Host.Run(plugin, Host.Env("GC"), """{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","cni.dev/attachments":[{"containerID":"x","ifname":"eth0"}]}""");
        Assert.True(plugin.Calls[0].IsValidAttachment("x", "eth0"));
    }

    [Fact]
    public void PrevResultWithoutVersionTakesTheConfigs()
    {
        var plugin = new RecordingPlugin();
        string conf = """
        {"cniVersion":"0.2.0","name":"azure","type":"azure-vnet",
         "prevResult":{"ip4":{"ip":"10.0.0.5/24","gateway":"10.0.0.1"},"ips":[{"address":"10.9.9.9/24"}]}}
        """;
        Host.Run(plugin, Host.Env("DEL"), conf);
        var prev = plugin.Calls[0].PrevResult!;

        // Read as 0.2.0: ip4 counts, the (1.x-only) ips list does not.
        Assert.Equal("10.0.0.5/24", Assert.Single(prev.Ips).Address.ToString());

        plugin.Calls.Clear();
        Host.Run(plugin, Host.Env("DEL"), conf.Replace("\"0.2.0\"", "\"1.0.0\""));
        Assert.Equal("10.9.9.9/24", Assert.Single(plugin.Calls[0].PrevResult!.Ips).Address.ToString());
    }

    [Fact]
    public void ErrorsAreWellFormedDocumentsWithAllFourMembers()
    {
        var outcome = Host.Run(new RecordingPlugin(), Host.Env("ADD"), "{");
        var json = outcome.Json;
        Assert.Equal(["cniVersion", "code", "msg", "details"], json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void ErrorTextThatIsNotValidUnicodeStillYieldsADocument()
    {
        var outcome = Host.Run(new RecordingPlugin(), Host.Env("FROB\ud800"), Host.Conf11);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(4, outcome.ErrorCode);
    }

    [Fact]
    public void DelIgnoresMalformedCniArgsButSaysSo()
    {
        var plugin = new RecordingPlugin();
        var outcome = Host.Run(plugin, Host.Env("DEL", "K8S_POD_NAME"), Host.Conf11);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(outcome.Stdout);
        Assert.Contains("CNI_ARGS", outcome.Stderr);
        Assert.Null(plugin.Calls[0].PodName);

        var add = Host.Run(new RecordingPlugin(), Host.Env("ADD", "K8S_POD_NAME"), Host.Conf11);
        Assert.Equal(4, add.ErrorCode);
    }
}
