namespace AzureCni.TestBed;

/// <summary>Where the test bed's pieces are: the repository's scripts, the published plugins, the libcni client.</summary>
public static class Repository
{
    /// <summary>The directory holding AzureCni.sln, found upward from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    public static string Simnet => Path.Combine(Root, "scripts", "simnet.sh");

    /// <summary>Debian's reference plugins (containernetworking-plugins), for CNI_PATH next to ours.</summary>
    public const string ReferencePluginDir = "/usr/lib/cni";

    private static readonly Lazy<string> LibcniClientPath = new(BuildLibcniClient, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The real libcni runtime (../shared/tools/libcni-client, outside the repository: every developer and CI has
    /// ../shared), built once into output/tools next to the binaries, or $LIBCNI_CLIENT when set.
    /// </summary>
    public static string LibcniClient => LibcniClientPath.Value;

    private static readonly Lazy<string> GocniClientPath = new(() => BuildClient("gocni-client", "GOCNI_CLIENT"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// containerd's CNI library (go-cni) as containerd's CRI plugin drives it (../shared/tools/gocni-client), built
    /// the same way, or $GOCNI_CLIENT when set.
    /// </summary>
    public static string GocniClient => GocniClientPath.Value;

    private static string BuildLibcniClient() => BuildClient("libcni-client", "LIBCNI_CLIENT");

    private static string BuildClient(string name, string variable)
    {
        string? given = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(given))
            return given;
        string output = Path.GetFullPath(Path.Combine(Requirements.BinDir ?? Path.Combine(Root, "output", "bin"), "..", "tools"));
        string client = Path.Combine(output, name);
        if (File.Exists(client))
            return client;
        // ../shared next to the checkout; from a git worktree elsewhere, next to the main checkout.
        string[] candidates = [Path.Combine(Root, ".."), .. MainCheckout() is { } main ? new[] { Path.Combine(main, "..") } : []];
        string? build = candidates.Select(c => Path.GetFullPath(Path.Combine(c, "shared", "tools", name, "build.sh"))).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"The {name} build script is not in ../shared/tools/{name} (outside the repository).");
        Shell.Check([build, output], timeout: TimeSpan.FromMinutes(5));
        return client;
    }

    /// <summary>The main checkout when Root is a git worktree (its .git is a file naming the common directory).</summary>
    private static string? MainCheckout()
    {
        CommandResult common = Shell.Run(["git", "-C", Root, "rev-parse", "--path-format=absolute", "--git-common-dir"]);
        return common.Succeeded ? Path.GetDirectoryName(common.Stdout.Trim()) : null;
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
}
