using System.Text;
using AzureCni.Cni.Delegation;
using AzureCni.Cni.Types;

namespace AzureCni.Cni.Tests;

public class DelegationTests
{
    private const string Conf = """{"cniVersion":"0.3.1","name":"azure","type":"azure-vnet","ipam":{"type":"fake-ipam"}}""";

    private static CniRequest Request(TempDir dir) => new()
    {
        Command = CniCommand.Add,
        ContainerId = "c1",
        IfName = "eth0",
        CniPath = "/nonexistent:" + dir.Path,
        StdinData = Encoding.UTF8.GetBytes(Conf),
        Config = new NetConf { CniVersion = "0.3.1" },
        Version = SpecVersion.V0_3_1,
        Environment = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = dir.Path,
            ["PATH"] = "/usr/bin:/bin",
        },
    };

    /// <summary>A fake IPAM plugin that logs "COMMAND stdin" lines and answers ADD with <paramref name="addBody"/>.</summary>
    private static void FakeIpam(TempDir dir, string addBody) =>
        dir.Script("fake-ipam", $$"""
            log="{{dir.Path}}/calls"
            input=$(cat)
            echo "$CNI_COMMAND $CNI_CONTAINERID $input" >> "$log"
            if [ "$CNI_COMMAND" = ADD ]; then
            {{addBody}}
            fi
            exit 0
            """);

    private static string[] Calls(TempDir dir) =>
        File.Exists(dir.File_("calls")) ? File.ReadAllLines(dir.File_("calls")) : [];

    [Fact]
    public void AddRunsTheDelegateWithTheSameEnvironmentAndFullConfig()
    {
        using var dir = new TempDir();
        FakeIpam(dir, """echo '{"cniVersion":"0.2.0","ip4":{"ip":"10.240.0.9/16","gateway":"10.240.0.1","routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}]},"dns":{"nameservers":["168.63.129.16"]}}'""");
        var result = CniDelegate.Add("fake-ipam", Request(dir));
        Assert.Equal("10.240.0.9/16", Assert.Single(result.Ips).Address.ToString());
        Assert.Equal("10.240.0.1", result.Routes[0].Gateway?.ToString());
        Assert.Equal(["168.63.129.16"], result.Dns.Nameservers);
        Assert.Equal([$"ADD c1 {Conf}"], Calls(dir));
    }

    [Fact]
    public void ResultWithoutVersionIsReadAsTheConfigVersion()
    {
        using var dir = new TempDir();
        FakeIpam(dir, """echo '{"ips":[{"version":"4","address":"10.0.0.2/24"}]}'""");
        Assert.Equal("10.0.0.2/24", Assert.Single(CniDelegate.Add("fake-ipam", Request(dir)).Ips).Address.ToString());
    }

    [Fact]
    public void FailedAddIsDeletedAndTheDelegatesErrorPropagates()
    {
        using var dir = new TempDir();
        FakeIpam(dir, """echo '{"cniVersion":"0.3.1","code":101,"msg":"no addresses","details":"pool 10.0.0.0/24 full"}'; exit 1""");
        var e = Assert.Throws<CniException>(() => CniDelegate.Add("fake-ipam", Request(dir)));
        Assert.Equal(CniErrorCode.NoAddressAvailable, e.Code);
        Assert.Equal("no addresses", e.Message);
        Assert.Equal("pool 10.0.0.0/24 full", e.Details);
        Assert.Equal(["ADD", "DEL"], Calls(dir).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void UnreadableAddResultIsDeleted()
    {
        using var dir = new TempDir();
        FakeIpam(dir, "echo 'this is not json'");
        var e = Assert.Throws<CniException>(() => CniDelegate.Add("fake-ipam", Request(dir)));
        Assert.Equal(CniErrorCode.DecodingFailure, e.Code);
        Assert.Equal(["ADD", "DEL"], Calls(dir).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void FailureWithoutErrorDocumentNamesTheExitStatus()
    {
        using var dir = new TempDir();
        FakeIpam(dir, "exit 7");
        var e = Assert.Throws<CniException>(() => CniDelegate.Add("fake-ipam", Request(dir)));
        Assert.Equal(CniErrorCode.Runtime, e.Code);
        Assert.Contains("exit status 7", e.Message);
        Assert.Contains("fake-ipam", e.Message);
    }

    [Fact]
    public void DelCheckGcStatusSetTheCommandAndPropagateErrors()
    {
        using var dir = new TempDir();
        FakeIpam(dir, "true");
        var request = Request(dir);
        CniDelegate.Delete("fake-ipam", request);
        CniDelegate.Check("fake-ipam", request);
        CniDelegate.GarbageCollect("fake-ipam", request);
        CniDelegate.Status("fake-ipam", request);
        Assert.Equal(["DEL", "CHECK", "GC", "STATUS"], Calls(dir).Select(l => l.Split(' ')[0]));

        dir.Script("fake-ipam", """echo '{"code":50,"msg":"pool exhausted"}'; exit 1""");
        var e = Assert.Throws<CniException>(() => CniDelegate.Status("fake-ipam", request));
        Assert.Equal(CniErrorCode.PluginNotAvailable, e.Code);
    }

    [Fact]
    public void MissingDelegateIsAnErrorNamingIt()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CniException>(() => CniDelegate.Add("absent-ipam", Request(dir)));
        Assert.Contains("absent-ipam", e.Message);
    }
}
