using System.Text.RegularExpressions;

namespace AzureCni.Install.Tests;

/// <summary>azure-vnet-ipam's log: one line per command in $AZURE_CNI_LOG_DIR/azure-vnet-ipam.log, nothing on stdout.</summary>
public sealed class IpamLogTests : IDisposable
{
    private readonly string _work = Repo.TempDir("log");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private CommandResult Ipam(string command, string container, string logLevel, string subnet = "10.97.0.0/24") =>
        Repo.Run(Requirements.PublishedBinary("azure-vnet-ipam")!, [], new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = container,
            ["CNI_NETNS"] = "/var/run/netns/x",
            ["CNI_IFNAME"] = "eth1",
            ["CNI_PATH"] = "/nonexistent",
            ["AZURE_CNI_STATE_DIR"] = _work,
            ["AZURE_CNI_LOG_DIR"] = _work,
        }, $$$"""{"cniVersion":"1.0.0","name":"logs","type":"bridge","logLevel":"{{{logLevel}}}","ipam":{"type":"azure-vnet-ipam","environment":"local","subnet":"{{{subnet}}}","ipAddress":"{{{(container == "taken" ? "10.97.0.2" : "")}}}"}}""");

    private string Log => File.ReadAllText(Path.Combine(_work, "azure-vnet-ipam.log"));

    [BinaryFact("azure-vnet-ipam")]
    public void InfoLevel_OneLinePerCommand_WithOutcomeAndDuration()
    {
        var add = Ipam("ADD", "c1", "info");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.StartsWith("{\"cniVersion\":\"1.0.0\",\"ips\"", add.Stdout);
        Assert.True(Ipam("DEL", "c1", "info").ExitCode == 0);

        var lines = Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d \[INF\] pid=\d+ ADD container=c1 ifname=eth1 network=\S+ outcome=ok ips=10\.97\.0\.\d+/24 duration_ms=\d+\.\d{3}$", lines[0]);
        Assert.Matches(@"\[INF\] pid=\d+ DEL container=c1 ifname=eth1 network=\S+ outcome=ok duration_ms=\d+\.\d{3}$", lines[1]);
        Assert.DoesNotContain("[DBG]", Log);
    }

    [BinaryFact("azure-vnet-ipam")]
    public void DebugLevel_AddsTheConfig_AndFailuresCarryTheirCode()
    {
        Assert.True(Ipam("ADD", "c1", "debug").ExitCode == 0);
        Assert.Matches(@"\[DBG\] pid=\d+ ADD container=c1 ifname=eth1 network=\S+ netns=/var/run/netns/x config=\{""cniVersion"":""1\.0\.0""", Log);

        // 10.97.0.2 is held by c1: asking for it again is code 101.
        var taken = Ipam("ADD", "taken", "info");
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("\"code\":101", taken.Stdout);
        Assert.Matches(@"\[ERR\] pid=\d+ ADD container=taken ifname=eth1 network=\S+ outcome=error code=101 msg=", Log);
    }

    [BinaryFact("azure-vnet-ipam")]
    public void AnUnwritableLogDirectory_NeverFailsTheCall()
    {
        var result = Repo.Run(Requirements.PublishedBinary("azure-vnet-ipam")!, [], new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = "/x",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/x",
            ["AZURE_CNI_STATE_DIR"] = _work,
            ["AZURE_CNI_LOG_DIR"] = "/proc/nonexistent/dir",
        }, """{"cniVersion":"1.0.0","name":"logs","type":"bridge","ipam":{"type":"azure-vnet-ipam","environment":"local","subnet":"10.97.0.0/24"}}""");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(new Regex("^\\{\"cniVersion\""), result.Stdout);
    }
}
