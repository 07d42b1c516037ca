using System.Text;
using System.Text.Json;

namespace AzureCni.Cni.Tests;

internal static class PublishedPlugin
{
    private static readonly string ScratchDir = Directory.CreateTempSubdirectory("azcni-published-").FullName;

    /// <summary>Runs a published plugin with only <paramref name="env"/> and a scratch state and log directory in its environment.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string binary, IDictionary<string, string> env, byte[] stdin, params string[] args)
    {
        // The plugins' state and logs go to a directory of the test run, never the machine's /var/run or /var/log.
        var environment = new Dictionary<string, string> { ["AZURE_CNI_STATE_DIR"] = ScratchDir, ["AZURE_CNI_LOG_DIR"] = ScratchDir };
        foreach (var (key, value) in env)
        {
            environment[key] = value;
        }

        CommandResult result = Shell.Run([Requirements.PublishedBinary(binary)!, .. args], environment, TimeSpan.FromSeconds(30), stdin, inheritEnvironment: false);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}

/// <summary>The acceptance lines through the real NativeAOT executables.</summary>
public class PublishedPluginTests
{
    private static Dictionary<string, string> Env(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "3ce2636e7e36",
        ["CNI_NETNS"] = "/var/run/netns/none",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/nonexistent",
    };

    private static readonly byte[] Conf = """{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet"}"""u8.ToArray();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [BinaryTheory("azure-vnet")]
    [InlineData("azure-vnet")]
    [InlineData("azure-vnet-ipam")]
    public void VersionListsSevenVersions(string binary)
    {
        if (Requirements.PublishedBinary(binary) is null)
        {
            Assert.Fail($"{binary} is missing from $AZURE_CNI_BIN_DIR next to azure-vnet");
        }

        var (exit, stdout, _) = PublishedPlugin.Run(binary, new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, """{"cniVersion":"1.1.0"}"""u8.ToArray());
        Assert.Equal(0, exit);
        Assert.Equal(
            ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            Json(stdout).GetProperty("supportedVersions").EnumerateArray().Select(e => e.GetString()));
    }

    [BinaryTheory("azure-vnet")]
    [InlineData("-v")]
    [InlineData("--version")]
    public void VersionFlagPrintsExactlyOneLine(string flag)
    {
        var (exit, stdout, stderr) = PublishedPlugin.Run("azure-vnet", new Dictionary<string, string>(), [], flag);
        Assert.Equal(0, exit);
        Assert.Matches(@"^Azure CNI Version v\d+\.\d+\.\d+\S*\n$", stdout);
        Assert.Empty(stderr);
    }

    [BinaryFact("azure-vnet")]
    public void NoCommandPrintsAboutOnStderr()
    {
        var (exit, stdout, stderr) = PublishedPlugin.Run("azure-vnet", new Dictionary<string, string>(), []);
        Assert.Equal(0, exit);
        Assert.Empty(stdout);
        Assert.Contains("azure-vnet", stderr);
        Assert.Contains("1.1.0", stderr);
    }

    [BinaryTheory("azure-vnet")]
    [InlineData("CNI_CONTAINERID", 4)]
    [InlineData("CNI_IFNAME", 4)]
    [InlineData("CNI_NETNS", 4)]
    public void MissingVariablesAreCode4(string variable, int code)
    {
        var env = Env("ADD");
        env.Remove(variable);
        var (exit, stdout, _) = PublishedPlugin.Run("azure-vnet", env, Conf);
        Assert.Equal(1, exit);
        Assert.Equal(code, Json(stdout).GetProperty("code").GetInt32());
        Assert.Contains(variable, Json(stdout).GetProperty("msg").GetString());
    }

    [BinaryFact("azure-vnet")]
    public void BadInputGetsTheSpecCodes()
    {
        Assert.Equal(6, Code(Env("ADD"), "{not json"u8.ToArray()));
        Assert.Equal(7, Code(Env("ADD"), """{"cniVersion":"1.1.0","type":"azure-vnet"}"""u8.ToArray()));
        Assert.Equal(7, Code(Env("ADD"), """{"cniVersion":"1.1.0","name":"azure"}"""u8.ToArray()));
        Assert.Equal(1, Code(Env("ADD"), """{"cniVersion":"9.9.9","name":"azure","type":"azure-vnet"}"""u8.ToArray()));
        Assert.Equal(1, Code(Env("CHECK"), """{"cniVersion":"0.3.1","name":"azure","type":"azure-vnet"}"""u8.ToArray()));
        Assert.Equal(4, Code(Env("FROB"), Conf));
        var args = Env("ADD");
        args["CNI_ARGS"] = "K8S_POD_NAME=a;MYSTERY=1";
        var (_, stdout, _) = PublishedPlugin.Run("azure-vnet", args, Conf);
        Assert.Contains("MYSTERY", Json(stdout).GetProperty("msg").GetString());
    }

    [BinaryFact("azure-vnet")]
    public void OversizedAndBinaryStdinAreCleanErrors()
    {
        var big = new byte[3 << 20];
        Array.Fill(big, (byte)'{');
        Assert.Equal(6, Code(Env("ADD"), big));
        var random = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            var garbage = new byte[random.Next(1, 5000)];
            random.NextBytes(garbage);
            Assert.Equal(6, Code(Env("ADD"), garbage));
        }
    }

    [BinaryFact("azure-vnet")]
    public void DelCheckOutputsNothingOnSuccessAndNothingButJsonOnError()
    {
        var env = Env("DEL");
        env.Remove("CNI_NETNS");
        var (exit, stdout, _) = PublishedPlugin.Run("azure-vnet", env, Conf);
        Assert.Equal(0, exit);
        Assert.Empty(stdout);
    }

    private static int Code(Dictionary<string, string> env, byte[] stdin)
    {
        var (exit, stdout, _) = PublishedPlugin.Run("azure-vnet", env, stdin);
        Assert.Equal(1, exit);
        var json = Json(stdout);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("msg").GetString()));
        return json.GetProperty("code").GetInt32();
    }
}
