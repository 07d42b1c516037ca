using System.Diagnostics;
using System.Text;
using AzureCni.Cni.Files;

namespace AzureCni.Cni.Tests;

/// <summary>
/// Inputs a runtime (or an attacker controlling one) may hand a plugin: each gets a spec code and a
/// one-line reason, and the plugin is never called (so nothing on the node changes). The table in
/// docs/operations.md lists the same cases.
/// </summary>
public sealed class HostileEnvironmentTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static HostOutcome Run(string command, string netns, Action<Dictionary<string, string>>? edit = null, string stdin = Host.Conf11)
    {
        var env = Host.Env(command);
        env["CNI_NETNS"] = netns;
        edit?.Invoke(env);
        var plugin = new RecordingPlugin { ConfiguresNetns = true };
        var outcome = Host.Run(plugin, env, stdin);
        if (outcome.ExitCode != 0)
            Assert.Empty(plugin.Calls);

        return outcome;
    }

    private void AssertRefused(HostOutcome outcome, CniErrorCode code, string reason)
    {
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal((int)code, outcome.ErrorCode);
        Assert.Contains(reason, outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', outcome.Message);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("CHECK")]
    [InlineData("DEL")]
    public void TheNodesOwnNamespaceIsRefused(string command)
    {
        AssertRefused(Run(command, NetnsValidation.OwnNamespacePath), CniErrorCode.InvalidEnvironmentVariables, "own network namespace");
        AssertRefused(Run(command, "/proc/self/ns/net"), CniErrorCode.InvalidEnvironmentVariables, "own network namespace");
        AssertRefused(Run(command, $"/proc/{Environment.ProcessId}/ns/net"), CniErrorCode.InvalidEnvironmentVariables, "own network namespace");
    }

    [Fact]
    public void ARegularFileOrAMissingPathIsNoNamespaceForAddAndCheck()
    {
        File.WriteAllText(_dir.File_("plain"), "x");
        foreach (var command in new[] { "ADD", "CHECK" })
        {
            AssertRefused(Run(command, _dir.File_("plain")), CniErrorCode.InvalidEnvironmentVariables, "is not a network namespace");
            AssertRefused(Run(command, _dir.File_("missing")), CniErrorCode.InvalidEnvironmentVariables, "does not exist");
        }

        // DEL of a pod whose namespace is gone is the runtime's normal clean-up.
        Assert.Equal(0, Run("DEL", _dir.File_("missing")).ExitCode);
        Assert.Equal(0, Run("DEL", _dir.File_("plain")).ExitCode);
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutBeingOpened()
    {
        string fifo = _dir.File_("fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
            await mkfifo.WaitForExitAsync();

        // WaitAsync throws TimeoutException should the call block on the FIFO.
        var outcome = await Task.Run(() => Run("ADD", fifo)).WaitAsync(TimeSpan.FromSeconds(60));
        AssertRefused(outcome, CniErrorCode.InvalidEnvironmentVariables, "is not a network namespace");

        // The same FIFO as a file a plugin reads (ipam.interfacesFile, a state file) is an error, not a hang.
        var error = await Task.Run(() => Record.Exception(() => FilePrimitives.Current.ReadOrNull(fifo))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("not a regular file", Assert.IsType<IOException>(error).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth0123456789abc", "too long")]
    [InlineData("a/b", "contains /")]
    [InlineData(".", "is . or ..")]
    [InlineData("..", "is . or ..")]
    public void BadInterfaceNamesAreRefused(string ifName, string reason) =>
        AssertRefused(Run("ADD", NetnsValidation.OwnNamespacePath, env => env["CNI_IFNAME"] = ifName), CniErrorCode.InvalidEnvironmentVariables, reason);

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("/abs")]
    public void ContainerIdsWithPathCharactersAreRefused(string id) =>
        AssertRefused(Run("ADD", NetnsValidation.OwnNamespacePath, env => env["CNI_CONTAINERID"] = id), CniErrorCode.InvalidEnvironmentVariables, "invalid characters");

    [Fact]
    public void TenThousandCniArgsPairsAreHandledOrRefusedWithACode()
    {
        string args = string.Join(';', Enumerable.Range(0, 10_000).Select(i => $"K{i}=v{i}"));
        var outcome = Run("DEL", _dir.File_("missing"), env => env["CNI_ARGS"] = args);
        Assert.True(outcome.ExitCode == 0 || outcome.ErrorCode == (int)CniErrorCode.InvalidEnvironmentVariables, outcome.Stdout);
    }

    [Fact]
    public void AConfigOfTenThousandNestedLevelsIsADecodingFailure()
    {
        string nested = "{\"cniVersion\":\"1.1.0\",\"name\":\"a\",\"type\":\"t\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        AssertRefused(Run("ADD", NetnsValidation.OwnNamespacePath, stdin: nested), CniErrorCode.DecodingFailure, "decoding");
    }

    [Fact]
    public void InvalidUtf8IsADecodingFailure()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Host.Conf11.Replace("azure\"", "az\u00ffure\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)0xC3)] = 0xFF;
        var env = Host.Env("ADD");
        var plugin = new RecordingPlugin { ConfiguresNetns = true };
        var outcome = Host.Run(plugin, env, bytes);
        Assert.Equal((int)CniErrorCode.DecodingFailure, outcome.ErrorCode);
        Assert.Empty(plugin.Calls);
    }
}
