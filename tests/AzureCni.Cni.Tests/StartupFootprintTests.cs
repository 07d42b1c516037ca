namespace AzureCni.Cni.Tests;

/// <summary>
/// What a published plugin touches before it answers VERSION, watched with strace. Each file below was a
/// measured share of the cold start (docs/benchmarks.md) and is skipped on purpose: the runtime's cgroup
/// discovery and MemAvailable read (src/Plugins/Native/startup_shims.c), the GC's cache-size probe
/// (GCgen0size in Plugin.Executable.props) and the string-hash seed an up-front copy of the environment needed
/// (Hosting/ProcessEnvironment). A toolchain update that brings one back fails here, not in a benchmark.
/// </summary>
public class StartupFootprintTests
{
    private static readonly string[] SkippedFiles =
    [
        "/proc/self/mountinfo",
        "/proc/self/cgroup",
        "/proc/meminfo",
        "/dev/urandom",
        "/cache/index",
    ];

    [BinaryTheory("azure-vnet")]
    [InlineData("azure-vnet")]
    [InlineData("azure-vnet-ipam")]
    public void Version_OpensNoneOfTheSkippedFiles(string binary)
    {
        string trace = Path.Combine(Path.GetTempPath(), $"azcni-strace-{Guid.NewGuid():N}");
        try
        {
            CommandResult result;
            try
            {
                result = Shell.Run(
                    ["strace", "-f", "-e", "trace=open,openat,openat2", "-o", trace, Requirements.PublishedBinary(binary)!],
                    new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" },
                    TimeSpan.FromSeconds(30),
                    stdin: """{"cniVersion":"1.1.0"}""");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("strace is not installed (.ci/run installs it)", e);
            }

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("\"supportedVersions\"", result.Stdout);

            string[] opens = File.ReadAllLines(trace);
            Assert.Contains(opens, line => line.Contains("open", StringComparison.Ordinal));
            foreach (string skipped in SkippedFiles)
            {
                Assert.DoesNotContain(opens, line => line.Contains(skipped, StringComparison.Ordinal));
            }
        }
        finally
        {
            File.Delete(trace);
        }
    }
}
