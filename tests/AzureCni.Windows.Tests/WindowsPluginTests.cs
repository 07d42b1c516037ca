using System.Text.Json;
using System.Text.RegularExpressions;

namespace AzureCni.Windows.Tests;

/// <summary>
/// The win-x64 publish of both plugins under Wine, with no state or log override: everything lands in the prefix's
/// C:\k through the Windows file primitives, as on a node. Wine has no Host Networking Service (no
/// computenetwork.dll), which is exactly a Windows host without the Containers feature.
/// </summary>
public sealed partial class WindowsPluginTests : IClassFixture<WineFixture>
{
    private const string ContainerA = "5a1c0de0c0ffee01";
    private const string ContainerB = "5a1c0de0c0ffee02";

    /// <summary>The message a host without HNS gets, whole (the driver's guard, docs/windows.md).</summary>
    private const string NoHnsMessage =
        "ADD: the Host Networking Service is not available on this host (computenetwork.dll not found): install the Windows Containers feature and restart";

    private readonly WinePrefix _wine;

    public WindowsPluginTests(WineFixture fixture)
    {
        _wine = fixture.Prefix;

        // Each test starts from an empty C:\k (the installed plugins stay).
        foreach (string file in Directory.EnumerateFiles(_wine.K))
            File.Delete(file);
    }

    [Theory]
    [InlineData("azure-vnet")]
    [InlineData("azure-vnet-ipam")]
    public void Version_ListsTheSupportedCniVersions(string plugin)
    {
        CommandResult result = Cni(plugin, "VERSION", "", "");

        Assert.True(result.Succeeded, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("1.1.0", doc.RootElement.GetProperty("cniVersion").GetString());
        Assert.Equal(["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            doc.RootElement.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("azure-vnet")]
    [InlineData("azure-vnet-ipam")]
    public void DashDashVersion_PrintsTheLineCnsParses(string plugin)
    {
        CommandResult result = _wine.Run(Exe(plugin), ["--version"], []);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Matches(VersionLine(), result.Stdout);
    }

    /// <summary>
    /// azure-vnet-ipam on its own, its pools from an interfaces file in C:\k: two ADDs, a GC keeping one, DEL twice.
    /// The state, its lock and the log are in C:\k, replaced whole each time (no .tmp left behind).
    /// </summary>
    [Fact]
    public void Ipam_AddGcDel_KeepsItsStateInCk()
    {
        File.WriteAllText(Path.Combine(_wine.K, "interfaces.json"), """
            {"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.241.0.0/16","IPAddresses":[
              {"Address":"10.241.0.4","IsPrimary":true},{"Address":"10.241.0.5","IsPrimary":false},{"Address":"10.241.0.6","IsPrimary":false}]}]}]}
            """);
        string config = """{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"C:\\k\\interfaces.json"}}""";

        string a = AddressOf(Cni("azure-vnet-ipam", "ADD", ContainerA, config));
        string b = AddressOf(Cni("azure-vnet-ipam", "ADD", ContainerB, config));

        Assert.Equal(["10.241.0.5/16", "10.241.0.6/16"], new[] { a, b }.Order(StringComparer.Ordinal));
        Assert.Equal([(a[..^3], ContainerA), (b[..^3], ContainerB)], IpamOwners().Order());
        Assert.Equal(["azure-vnet-ipam.json", "azure-vnet-ipam.lock", "azure-vnet-ipam.log", "azure-vnet-ipam.log.lock", "interfaces.json"], FilesInK());

        string gc = config[..^1] + $$""","cni.dev/valid-attachments":[{"containerID":"{{ContainerB}}","ifname":"eth0"}]}""";
        Succeeds(Cni("azure-vnet-ipam", "GC", "", gc));
        Assert.Equal([(b[..^3], ContainerB)], IpamOwners());

        Succeeds(Cni("azure-vnet-ipam", "DEL", ContainerB, config));
        Succeeds(Cni("azure-vnet-ipam", "DEL", ContainerB, config));
        Assert.Empty(IpamOwners());

        Assert.Equal(5, LogLines("azure-vnet-ipam").Count(line => line.Contains("outcome=ok", StringComparison.Ordinal)));
        Assert.Equal(["azure-vnet-ipam.json", "azure-vnet-ipam.lock", "azure-vnet-ipam.log", "azure-vnet-ipam.log.lock", "interfaces.json"], FilesInK());
    }

    /// <summary>
    /// azure-vnet ADD on a host without HNS: the IPAM reserves an address (in process, or through delegation to another
    /// IPAM executable on CNI_PATH), HNS cannot be loaded, and the answer is code 50 with one clear line, no stack trace;
    /// the reservation is undone and no endpoint entry is left. The stack trace is in the log, at debug level only.
    /// The runtime's DEL afterwards succeeds.
    /// </summary>
    [Theory]
    [InlineData("azure-vnet-ipam", false)]
    [InlineData("delegated-ipam", true)]
    public void VnetAdd_WithoutHns_AnswersCode50_AndLeavesNothing(string ipamType, bool debug)
    {
        if (ipamType != "azure-vnet-ipam" && !File.Exists(Path.Combine(_wine.K, "azurecni", "bin", ipamType + ".exe")))
            _wine.InstallCopy("azure-vnet-ipam.exe", ipamType + ".exe");
        string config = $$$"""{"cniVersion":"1.0.0","name":"azure","type":"azure-vnet","logLevel":"{{{(debug ? "debug" : "info")}}}","ipam":{"type":"{{{ipamType}}}","environment":"local","subnet":"10.242.0.0/24"}}""";
        string netns = Guid.NewGuid().ToString();

        CommandResult add = Cni("azure-vnet", "ADD", ContainerA, config, netns);

        Assert.Equal(1, add.ExitCode);
        using (var error = JsonDocument.Parse(add.Stdout))
        {
            Assert.Equal(50, error.RootElement.GetProperty("code").GetInt32());
            Assert.Equal(NoHnsMessage, error.RootElement.GetProperty("msg").GetString());
            Assert.Equal("", error.RootElement.GetProperty("details").GetString());
        }
        Assert.DoesNotContain("   at ", add.Output, StringComparison.Ordinal);

        // The address was reserved, then released (a release stamps the record), and nothing owns one now.
        Assert.Empty(IpamOwners());
        Assert.Contains(IpamRecords(), record => record.GetProperty("released").GetInt64() > 0);
        Assert.Empty(EndpointEntries());

        string[] log = LogLines("azure-vnet");
        Assert.Contains(log, line => line.Contains("[ERR]", StringComparison.Ordinal) && line.Contains("outcome=error code=50 msg=" + NoHnsMessage + " details= ", StringComparison.Ordinal));
        Assert.Equal(debug, log.Any(line => line.Contains("undone: IPAM reservation", StringComparison.Ordinal)));
        Assert.Equal(debug, log.Any(line => line.StartsWith("   at AzureCni.Hns.HostNetworkService", StringComparison.Ordinal)));
        if (ipamType != "azure-vnet-ipam")
        {
            string[] delegated = LogLines("azure-vnet-ipam");
            Assert.Contains(delegated, line => line.Contains("ADD container=" + ContainerA, StringComparison.Ordinal) && line.Contains("outcome=ok", StringComparison.Ordinal));
            Assert.Contains(delegated, line => line.Contains("DEL container=" + ContainerA, StringComparison.Ordinal) && line.Contains("outcome=ok", StringComparison.Ordinal));
        }

        Succeeds(Cni("azure-vnet", "DEL", ContainerA, config, netns));
        Assert.Empty(IpamOwners());
    }

    /// <summary>STATUS tells the runtime what every ADD would meet: code 50, the same line, before any IPAM work.</summary>
    [Fact]
    public void VnetStatus_WithoutHns_AnswersCode50()
    {
        const string config = """{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","ipam":{"type":"azure-vnet-ipam","environment":"local","subnet":"10.242.0.0/24"}}""";

        CommandResult status = Cni("azure-vnet", "STATUS", "", config);

        Assert.Equal(1, status.ExitCode);
        using var error = JsonDocument.Parse(status.Stdout);
        Assert.Equal(50, error.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("STATUS" + NoHnsMessage["ADD".Length..], error.RootElement.GetProperty("msg").GetString());
        Assert.DoesNotContain("   at ", status.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_wine.K, "azure-vnet-ipam.json")));
    }

    private static string Exe(string plugin) => WinePrefix.BinDirectory + @"\" + plugin + ".exe";

    private CommandResult Cni(string plugin, string command, string containerId, string config, string netns = "none")
    {
        var variables = new Dictionary<string, string> { ["CNI_COMMAND"] = command, ["CNI_PATH"] = WinePrefix.BinDirectory };
        if (containerId.Length > 0)
        {
            variables["CNI_CONTAINERID"] = containerId;
            variables["CNI_IFNAME"] = "eth0";
            variables["CNI_NETNS"] = netns;
        }

        return _wine.Run(Exe(plugin), [], variables, config);
    }

    private static void Succeeds(CommandResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("", result.Stdout);
    }

    private static string AddressOf(CommandResult add)
    {
        Assert.True(add.Succeeded, add.ToString());
        using var doc = JsonDocument.Parse(add.Stdout);
        JsonElement ip = Assert.Single(doc.RootElement.GetProperty("ips").EnumerateArray());
        Assert.Equal("10.241.0.1", ip.GetProperty("gateway").GetString());
        return ip.GetProperty("address").GetString()!;
    }

    private List<string> FilesInK() => [.. Directory.EnumerateFiles(_wine.K).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    private string[] LogLines(string plugin) => File.ReadAllLines(Path.Combine(_wine.K, plugin + ".log"));

    // C:\k\azure-vnet-ipam.json: every address record of every pool.
    private List<JsonElement> IpamRecords()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_wine.K, "azure-vnet-ipam.json")));
        return [.. doc.RootElement.GetProperty("pools").EnumerateArray().SelectMany(pool => pool.GetProperty("addresses").EnumerateArray()).Select(r => r.Clone())];
    }

    private List<(string Address, string ContainerId)> IpamOwners() =>
        [.. IpamRecords()
            .Where(r => r.TryGetProperty("containerId", out JsonElement owner) && owner.ValueKind == JsonValueKind.String)
            .Select(r => (r.GetProperty("address").GetString()!, r.GetProperty("containerId").GetString()!))];

    // C:\k\azure-vnet.json: azure-vnet's endpoint entries.
    private List<JsonElement> EndpointEntries()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_wine.K, "azure-vnet.json")));
        return [.. doc.RootElement.GetProperty("endpoints").EnumerateArray().Select(e => e.Clone())];
    }

    [GeneratedRegex(@"^Azure CNI Version v\d+\.\d+\.\d+\S*\r?\n$")]
    private static partial Regex VersionLine();
}
