namespace AzureCni.Install.Tests;

/// <summary>The install script under test and how the tests run things.</summary>
internal static class Repo
{
    public static string InstallScript => Path.Combine(Repository.Root, "scripts", "install-cni-plugin.sh");

    /// <summary>
    /// Runs <paramref name="file"/> through the test bed's <see cref="Shell"/>; <paramref name="env"/>, when given, is
    /// the whole environment (the install script must not lean on the caller's).
    /// </summary>
    public static CommandResult Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? stdin = null, string? workingDirectory = null, int timeoutSeconds = 120) =>
        Shell.Run([file, .. args], env, TimeSpan.FromSeconds(timeoutSeconds), stdin, workingDirectory, inheritEnvironment: env is null);

    /// <summary>A fresh directory under the temp dir, removed by the caller.</summary>
    public static string TempDir(string tag)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"azcni-{tag}-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Every file and directory under <paramref name="root"/>, relative, sorted.</summary>
    public static List<string> Tree(string root)
    {
        var list = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p))
            .ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
