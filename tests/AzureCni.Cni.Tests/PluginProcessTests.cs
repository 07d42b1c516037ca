using System.Text;
using AzureCni.Cni.Delegation;
using AzureCni.Cni.Processes;

namespace AzureCni.Cni.Tests;

/// <summary>
/// Both ways of running a delegated plugin: posix_spawn (Linux) and System.Diagnostics.Process (Windows, run here on
/// Linux), held to the same contract. <c>managed</c> selects the second.
/// </summary>
public class PluginProcessTests
{
    private static readonly Dictionary<string, string> Env = new() { ["CNI_COMMAND"] = "ADD", ["FOO"] = "bar baz" };

    private static ProcessExit Run(bool managed, string path, ReadOnlySpan<byte> stdin) =>
        managed ? ManagedChildProcess.Run(path, [], Env, stdin) : PluginProcess.Run(path, Env, stdin);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PassesStdinAndEnvironmentAndCapturesStdout(bool managed)
    {
        using var dir = new TempDir();
        string path = dir.Script("echoer", "printf '%s|%s|' \"$CNI_COMMAND\" \"$FOO\"; cat");
        var exit = Run(managed, path, "{\"name\":\"x\"}"u8);
        Assert.True(exit.Succeeded);
        Assert.Equal("ADD|bar baz|{\"name\":\"x\"}", Encoding.UTF8.GetString(exit.Stdout));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnlyTheGivenEnvironmentIsPassed(bool managed)
    {
        using var dir = new TempDir();
        string path = dir.Script("env-dump", "env");
        var exit = Run(managed, path, default);
        string output = Encoding.UTF8.GetString(exit.Stdout);
        Assert.Contains("FOO=bar baz", output);
        Assert.DoesNotContain("HOME=", output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReportsExitStatusAndSignal(bool managed)
    {
        using var dir = new TempDir();
        var exit = Run(managed, dir.Script("fails", "echo out; exit 3"), default);
        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.Succeeded);
        Assert.Equal("out\n", Encoding.UTF8.GetString(exit.Stdout));

        var killed = Run(managed, dir.Script("killed", "kill -9 $$"), default);
        Assert.False(killed.Succeeded);
        if (!managed)
        {
            // Process reports a signal death as an exit code (128 + signal); posix_spawn's wait tells them apart.
            Assert.Equal(9, killed.Signal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeStdinAndStdoutDoNotDeadlock(bool managed)
    {
        using var dir = new TempDir();
        var input = new byte[300_000];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)('a' + (i % 26));
        }

        // cat echoes while it reads: with sequential write-then-read this would fill both pipes and hang.
        var exit = Run(managed, dir.Script("cat", "cat"), input);
        Assert.True(exit.Succeeded);
        Assert.Equal(input, exit.Stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChildThatIgnoresStdinDoesNotBreakTheParent(bool managed)
    {
        using var dir = new TempDir();
        var exit = Run(managed, dir.Script("early", "echo done"), new byte[500_000]);
        Assert.True(exit.Succeeded);
        Assert.Equal("done\n", Encoding.UTF8.GetString(exit.Stdout));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StdinIsClosedAfterTheConfig(bool managed)
    {
        using var dir = new TempDir();
        var exit = Run(managed, dir.Script("wc", "wc -c"), "12345"u8);
        Assert.Equal("5", Encoding.UTF8.GetString(exit.Stdout).Trim());
    }

    [Fact]
    public void FindsPluginsOnCniPathInOrder()
    {
        using var first = new TempDir();
        using var second = new TempDir();
        string expected = first.Script("ipam", "exit 0");
        second.Script("ipam", "exit 0");
        File.WriteAllText(second.File_("not-exec"), "");
        Assert.Equal(expected, PluginProcess.Find("ipam", $"/nonexistent:{first.Path}:{second.Path}"));
        var e = Assert.Throws<CniException>(() => PluginProcess.Find("not-exec", second.Path));
        Assert.Contains("not-exec", e.Message);
        Assert.Contains(second.Path, e.Message);
        Assert.Throws<CniException>(() => PluginProcess.Find("../ipam", first.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RunawayOutputIsAnErrorAndTheChildIsReaped(bool managed)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CniException>(() => Run(managed, dir.Script("yes", "exec yes"), default));
        Assert.Contains("more than", e.Message);
    }

    [Fact]
    public void FindsWindowsPluginsAsExeOnASemicolonSeparatedPath()
    {
        using var first = new TempDir();
        using var second = new TempDir();
        File.WriteAllText(first.File_("azure-vnet-ipam"), "");
        string expected = second.File_("azure-vnet-ipam.exe");
        File.WriteAllText(expected, "");
        Assert.Equal(expected, PluginProcess.Find("azure-vnet-ipam", $@"C:\k\nonexistent;{first.Path};{second.Path}", windows: true));
        var e = Assert.Throws<CniException>(() => PluginProcess.Find("host-local", $"{first.Path};{second.Path}", windows: true));
        Assert.Contains("host-local", e.Message);
        Assert.Throws<CniException>(() => PluginProcess.Find(@"..\ipam", first.Path, windows: true));
    }
}
