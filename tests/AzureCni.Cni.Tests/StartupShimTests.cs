namespace AzureCni.Cni.Tests;

/// <summary>
/// src/Plugins/Native/startup_shims.c answers the main thread's stack bounds without /proc/self/maps. The runtime
/// trusts those bounds, so they must be glibc's to the byte: a probe linked the way the plugins are compares both
/// answers under the stack limits and start-up layouts a runtime can hand a plugin.
/// </summary>
public class StartupShimTests
{
    private static readonly string Shims = Path.Combine(Repository.Root, "src", "Plugins", "Native", "startup_shims.c");

    private static readonly Lazy<string> Probe = new(() =>
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("azcni-shim-").FullName, "stack_probe");
        string source = Path.Combine(AppContext.BaseDirectory, "Native", "stack_probe.c");
        var (code, text) = Run("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-static",
            "-Wl,--wrap=fopen64", "-Wl,--wrap=pthread_getattr_np", "-o", output, source, Shims]);
        Assert.True(code == 0, $"gcc failed: {text}");
        return output;
    });

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        CommandResult result = Shell.Run([file, .. args], env, inheritEnvironment: env is null);
        return (result.ExitCode, result.Output);
    }

    [Theory]
    [InlineData("8192")]
    [InlineData("1024")]
    [InlineData("65536")]
    [InlineData("unlimited")]
    public void MainThreadStack_IsGlibcsToTheByte(string stackLimitKb)
    {
        var (code, output) = Run("sh", ["-c", $"ulimit -s {stackLimitKb} && exec \"$0\"", Probe.Value]);
        Assert.True(code == 0, $"ulimit -s {stackLimitKb}: {output}");
        Assert.Contains("shim 0x", output);
    }

    [Fact]
    public void MainThreadStack_IsGlibcsWithLongArgumentsAndEnvironment()
    {
        string big = new('x', 70_000);
        var (code, output) = Run("sh", ["-c", "exec \"$0\" \"$@\"", Probe.Value, big, "second", ""], new Dictionary<string, string> { ["BIG"] = big, ["PATH"] = "/usr/bin:/bin" });
        Assert.True(code == 0, output);
    }

    // valgrind builds the stack itself and pads its strings to a word; bench-gate counts instructions under it.
    [Theory]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abc")]
    [InlineData("abcd")]
    [InlineData("abcde")]
    [InlineData("abcdef")]
    [InlineData("abcdefg")]
    [InlineData("abcdefgh")]
    public void MainThreadStack_IsGlibcsUnderValgrind(string variable)
    {
        var (code, output) = Run("valgrind", ["-q", "--error-exitcode=0", Probe.Value], new Dictionary<string, string> { ["V"] = variable });
        Assert.True(code == 0, output);
        Assert.Contains("shim 0x", output);
    }

    [Fact]
    public void MainThreadStack_IsGlibcsWithAnEmptyEnvironment()
    {
        var (code, output) = Run(Probe.Value, [], new Dictionary<string, string>());
        Assert.True(code == 0, output);
    }
}
