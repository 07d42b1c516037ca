namespace AzureCni.Install.Tests;

/// <summary>
/// Two real releases: A packs the published binaries of $AZURE_CNI_BIN_DIR (the current build); B is built once,
/// on first use, by `make azure-cni-plugins VERSION=&lt;A's patch + 1&gt;` in a copy of the sources, so the version
/// stamp and the archive layout are those a release gets.
/// </summary>
public sealed class ReleaseFixture : IDisposable
{
    private readonly Lazy<(string Version, string Archive)> _a;
    private readonly Lazy<(string Version, string Archive)> _b;

    public ReleaseFixture()
    {
        Work = Repo.TempDir("rel");
        _a = new(PackCurrent);
        _b = new(BuildNext);
    }

    public string Work { get; }

    public (string Version, string Archive) A => _a.Value;

    public (string Version, string Archive) B => _b.Value;

    public void Dispose() => Directory.Delete(Work, recursive: true);

    public static string VersionOf(string binary)
    {
        var result = Repo.Run(binary, ["--version"]);
        const string prefix = "Azure CNI Version v";
        Assert.True(result.ExitCode == 0 && result.Stdout.StartsWith(prefix, StringComparison.Ordinal), result.ToString());
        return result.Stdout.Trim()[prefix.Length..];
    }

    private (string, string) PackCurrent()
    {
        string vnet = Requirements.PublishedBinary("azure-vnet")!;
        string version = VersionOf(vnet);
        string stage = Path.Combine(Work, "a");
        Directory.CreateDirectory(stage);
        File.Copy(vnet, Path.Combine(stage, "azure-vnet"));
        File.Copy(Requirements.PublishedBinary("azure-vnet-ipam")!, Path.Combine(stage, "azure-vnet-ipam"));
        File.Copy(Path.Combine(Repository.Root, "config", "10-azure.conflist"), Path.Combine(stage, "10-azure.conflist"));
        return (version, FakeRelease.Pack(Work, stage, version));
    }

    private (string, string) BuildNext()
    {
        var parts = A.Version.Split('.');
        string version = $"{parts[0]}.{parts[1]}.{int.Parse(parts[2].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture) + 1}";

        // A copy of the sources, so this build neither races nor re-stamps the checkout's own obj/ and bin/.
        string tree = Path.Combine(Work, "src-b");
        foreach (string file in new[] { "Makefile", "Directory.Build.props", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config" })
        {
            if (File.Exists(Path.Combine(Repository.Root, file)))
            {
                Directory.CreateDirectory(tree);
                File.Copy(Path.Combine(Repository.Root, file), Path.Combine(tree, file));
            }
        }

        CopySources(Path.Combine(Repository.Root, "src"), Path.Combine(tree, "src"));
        CopySources(Path.Combine(Repository.Root, "config"), Path.Combine(tree, "config"));
        string output = Path.Combine(Work, "out-b");
        var make = Repo.Run("make", ["azure-cni-plugins", "VERSION=" + version, "OUTPUT=" + output], workingDirectory: tree, timeoutSeconds: 1500);
        Assert.True(make.ExitCode == 0, make.ToString());
        string archive = Path.Combine(output, $"azure-vnet-cni-linux-amd64-v{version}.tgz");
        Assert.True(File.Exists(archive), "make azure-cni-plugins did not produce " + archive);

        // `make VERSION=` stamps both binaries.
        Assert.Equal(version, VersionOf(Path.Combine(output, "bin", "azure-vnet")));
        Assert.Equal(version, VersionOf(Path.Combine(output, "bin", "azure-vnet-ipam")));
        return (version, archive);
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            string name = Path.GetFileName(dir);
            if (name is not ("bin" or "obj"))
            {
                CopySources(dir, Path.Combine(to, name));
            }
        }

        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
