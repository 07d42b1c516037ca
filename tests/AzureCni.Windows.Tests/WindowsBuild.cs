using System.Security.Cryptography;
using System.Text;

namespace AzureCni.Windows.Tests;

/// <summary>
/// The Windows build: both plugins published for win-x64, self-contained (NativeAOT cannot cross-compile to Windows,
/// docs/windows.md), into one directory as a Windows node holds them (output/win-x64/bin). Its own artifacts path, so
/// it neither races nor re-stamps the checkout's Linux obj/ and bin/. Published at most once per change of the
/// sources: a digest of everything the publish reads is kept beside it, and a run with the same digest reuses it
/// (even a publish with nothing to do costs ~35 s per plugin on a busy machine).
/// </summary>
internal static class WindowsBuild
{
    public static readonly string[] Plugins = ["azure-vnet", "azure-vnet-ipam"];

    private static string Root => Path.Combine(Repository.Root, "output", "win-x64");

    /// <summary>The directory holding azure-vnet.exe, azure-vnet-ipam.exe and their runtime, published if out of date.</summary>
    public static string Publish()
    {
        string bin = Path.Combine(Root, "bin");
        string digestFile = Path.Combine(Root, "sources.sha256");
        string digest = SourceDigest();
        if (File.Exists(digestFile) && File.ReadAllText(digestFile) == digest && Plugins.All(p => File.Exists(Path.Combine(bin, p + ".exe"))))
            return bin;

        Directory.CreateDirectory(Root); // a fresh clone has no output/win-x64 yet
        File.Delete(digestFile);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        foreach (string plugin in Plugins)
        {
            CommandResult publish = Shell.Run(
                [dotnet, "publish", Path.Combine(Repository.Root, "src", "Plugins", plugin), "-c", "Release", "-nologo",
                 "-r", "win-x64", "--self-contained", "-p:PublishAot=false", "-warnaserror", "--disable-build-servers",
                 "--artifacts-path", Path.Combine(Root, "artifacts"), "-o", bin],
                timeout: TimeSpan.FromMinutes(20));
            if (!publish.Succeeded)
                throw new InvalidOperationException($"the win-x64 publish of {plugin} failed: {publish}");
        }

        File.WriteAllText(digestFile, digest);
        return bin;
    }

    // Every file under src/ but build output, and the repository-wide build settings: names and contents.
    private static string SourceDigest()
    {
        var files = new List<string>();
        foreach (string name in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config" })
        {
            if (File.Exists(Path.Combine(Repository.Root, name)))
                files.Add(name);
        }

        foreach (string file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(Repository.Root, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                files.Add(relative);
        }

        files.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(Repository.Root, file)));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
