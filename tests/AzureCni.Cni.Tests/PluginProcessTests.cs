using System.Text;
using AzureCni.Cni.Delegation;

namespace AzureCni.Cni.Tests;

public class PluginProcessTests
{
    private static readonly Dictionary<string, string> Env = new() { ["CNI_COMMAND"] = "ADD", ["FOO"] = "bar baz" };

    [Fact]
    public void PassesStdinAndEnvironmentAndCapturesStdout()
    {
        using var dir = new TempDir();
        string path = dir.Script("echoer", "printf '%s|%s|' \"$CNI_COMMAND\" \"$FOO\"; cat");
        var exit = PluginProcess.Run(path, Env, "{\"name\":\"x\"}"u8);
        Assert.True(exit.Succeeded);
        Assert.Equal("ADD|bar baz|{\"name\":\"x\"}", Encoding.UTF8.GetString(exit.Stdout));
    }

    [Fact]
    public void OnlyTheGivenEnvironmentIsPassed()
    {
        using var dir = new TempDir();
        string path = dir.Script("env-dump", "env");
        var exit = PluginProcess.Run(path, Env, default);
        string output = Encoding.UTF8.GetString(exit.Stdout);
        Assert.Contains("FOO=bar baz", output);
        Assert.DoesNotContain("HOME=", output);
    }

    [Fact]
    public void ReportsExitStatusAndSignal()
    {
        using var dir = new TempDir();
        var exit = PluginProcess.Run(dir.Script("fails", "echo out; exit 3"), Env, default);
        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.Succeeded);
        Assert.Equal("out\n", Encoding.UTF8.GetString(exit.Stdout));

        var killed = PluginProcess.Run(dir.Script("killed", "kill -9 $$"), Env, default);
        Assert.Equal(9, killed.Signal);
        Assert.False(killed.Succeeded);
    }

    [Fact]
    public void LargeStdinAndStdoutDoNotDeadlock()
    {
        using var dir = new TempDir();
        var input = new byte[300_000];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)('a' + (i % 26));
        }

        // cat echoes while it reads: with sequential write-then-read this would fill both pipes and hang.
        var exit = PluginProcess.Run(dir.Script("cat", "cat"), Env, input);
        Assert.True(exit.Succeeded);
        Assert.Equal(input, exit.Stdout);
    }

    [Fact]
    public void ChildThatIgnoresStdinDoesNotBreakTheParent()
    {
        using var dir = new TempDir();
        var exit = PluginProcess.Run(dir.Script("early", "echo done"), Env, new byte[500_000]);
        Assert.True(exit.Succeeded);
        Assert.Equal("done\n", Encoding.UTF8.GetString(exit.Stdout));
    }

    [Fact]
    public void StdinIsClosedAfterTheConfig()
    {
        using var dir = new TempDir();
        var exit = PluginProcess.Run(dir.Script("wc", "wc -c"), Env, "12345"u8);
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

    [Fact]
    public void RunawayOutputIsAnErrorAndTheChildIsReaped()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CniException>(() => PluginProcess.Run(dir.Script("yes", "exec yes"), Env, default));
        Assert.Contains("more than", e.Message);
    }
}
