using System.Runtime.InteropServices;

namespace AzureCni.EndToEnd.Tests.Bed;

/// <summary>Where the test bed's pieces are: the repository's scripts, the published plugins, the libcni client.</summary>
public static partial class Repository
{
    /// <summary>The directory holding AzureCni.sln, found upward from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string Simnet => Path.Combine(Root, "scripts", "simnet.sh");

    /// <summary>$AZURE_CNI_BIN_DIR (make test sets it to output/bin), or null when unset or missing a plugin.</summary>
    public static string? BinDir
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("AZURE_CNI_BIN_DIR");
            if (string.IsNullOrEmpty(dir))
                return null;
            return File.Exists(Path.Combine(dir, "azure-vnet")) && File.Exists(Path.Combine(dir, "azure-vnet-ipam")) ? dir : null;
        }
    }

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEuid() == 0;

    /// <summary>Debian's reference plugins (containernetworking-plugins), for CNI_PATH next to ours.</summary>
    public const string ReferencePluginDir = "/usr/lib/cni";

    private static readonly Lazy<string> LibcniClientPath = new(BuildLibcniClient, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The real libcni runtime (../shared/tools/libcni-client, outside the repository: every developer and CI has
    /// ../shared), built once into output/tools next to the binaries, or $LIBCNI_CLIENT when set.
    /// </summary>
    public static string LibcniClient => LibcniClientPath.Value;

    private static string BuildLibcniClient()
    {
        string? given = Environment.GetEnvironmentVariable("LIBCNI_CLIENT");
        if (!string.IsNullOrEmpty(given))
            return given;
        string output = Path.GetFullPath(Path.Combine(BinDir ?? Path.Combine(Root, "output", "bin"), "..", "tools"));
        string client = Path.Combine(output, "libcni-client");
        if (File.Exists(client))
            return client;
        string build = Path.GetFullPath(Path.Combine(Root, "..", "shared", "tools", "libcni-client", "build.sh"));
        if (!File.Exists(build))
            throw new InvalidOperationException($"The libcni client's build script is not at {build} (it lives in ../shared, outside the repository).");
        Shell.Check([build, output], timeout: TimeSpan.FromMinutes(5));
        return client;
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "AzureCni.sln")))
                return dir;
        }
        throw new InvalidOperationException("AzureCni.sln not found above " + AppContext.BaseDirectory);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}

/// <summary>An end-to-end fact: needs root (namespaces) and the published plugins; skipped, visibly, otherwise.</summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute()
    {
        Skip = EndToEndRequirements.Missing;
    }
}

public sealed class EndToEndTheoryAttribute : TheoryAttribute
{
    public EndToEndTheoryAttribute()
    {
        Skip = EndToEndRequirements.Missing;
    }
}

internal static class EndToEndRequirements
{
    public static string? Missing =>
        !Repository.IsRoot ? "Needs root to build the simulated Azure namespaces (CI runs as root)."
        : Repository.BinDir is null ? "Needs the published azure-vnet and azure-vnet-ipam in $AZURE_CNI_BIN_DIR (make test sets it)."
        : null;
}
