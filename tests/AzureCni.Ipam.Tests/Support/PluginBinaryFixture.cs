using System.Diagnostics;

namespace AzureCni.Ipam.Tests.Support;

/// <summary>
/// The NativeAOT azure-vnet-ipam, published once per test run into a temp dir (or taken from
/// $AZURE_VNET_IPAM_BIN, or from $AZURE_CNI_BIN_DIR as `make test` sets it), and the libcni client (built with the shared build.sh when missing).
/// </summary>
public sealed class PluginBinaryFixture : IDisposable
{
    private readonly string? _publishDir;

    public PluginBinaryFixture()
    {
        string? prebuilt = Environment.GetEnvironmentVariable("AZURE_VNET_IPAM_BIN");
        if (string.IsNullOrEmpty(prebuilt) && Requirements.BinDir is { } binDir)
        {
            // `make test` has already published both plugins there.
            prebuilt = Path.Combine(binDir, "azure-vnet-ipam");
        }

        if (!string.IsNullOrEmpty(prebuilt))
        {
            PluginPath = prebuilt;
        }
        else
        {
            _publishDir = Path.Combine(Path.GetTempPath(), "azcni-ipam-bin-" + Guid.NewGuid().ToString("N")[..8]);
            string project = Path.Combine(RepoRoot(), "src/Plugins/azure-vnet-ipam/azure-vnet-ipam.csproj");
            var (code, output) = Run("dotnet", ["publish", project, "-c", "Release", "-o", _publishDir, "-nologo", "-v", "q"], TimeSpan.FromMinutes(10));
            if (code != 0)
            {
                throw new InvalidOperationException("dotnet publish of azure-vnet-ipam failed:\n" + output);
            }

            PluginPath = Path.Combine(_publishDir, "azure-vnet-ipam");
        }

        if (!File.Exists(PluginPath))
        {
            throw new InvalidOperationException($"{PluginPath} does not exist");
        }

        PluginDir = Path.GetDirectoryName(PluginPath)!;
    }

    public string PluginPath { get; }

    /// <summary>Holds azure-vnet-ipam; CNI_PATH for direct runs, with /usr/lib/cni after it for chains.</summary>
    public string PluginDir { get; }

    private static readonly Lazy<string> LibcniClientPath = new(BuildLibcniClient);

    public string LibcniClient => LibcniClientPath.Value;

    public void Dispose()
    {
        if (_publishDir is not null)
        {
            try
            {
                Directory.Delete(_publishDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AzureCni.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("AzureCni.sln not found above " + AppContext.BaseDirectory);
    }

    private static string BuildLibcniClient()
    {
        const string shared = "/tmp/libcni-client/libcni-client";
        if (File.Exists(shared))
        {
            return shared;
        }

        string outDir = Path.Combine(Path.GetTempPath(), "azcni-ipam-libcni-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, output) = Run("/work/shared/tools/libcni-client/build.sh", [outDir], TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            throw new InvalidOperationException("building libcni-client failed:\n" + output);
        }

        return Path.Combine(outDir, "libcni-client");
    }

    public static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class PluginBinaryCollection : ICollectionFixture<PluginBinaryFixture>
{
    public const string Name = "azure-vnet-ipam binary";
}
