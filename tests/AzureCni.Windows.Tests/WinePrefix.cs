namespace AzureCni.Windows.Tests;

/// <summary>
/// A private Wine prefix in a temporary directory (never the user's ~/.wine), made by one wineboot. Its C:\k is the
/// plugins' home on Windows (state, locks and logs, where they go with no override), and C:\k\azurecni\bin holds the
/// publish, as scripts/install-cni-plugin.ps1 lays a node out. Disposing stops the prefix's wineserver and removes it.
/// </summary>
internal sealed class WinePrefix : IDisposable
{
    /// <summary>Where the plugins are installed, as a Windows path (CNI_PATH).</summary>
    public const string BinDirectory = @"C:\k\azurecni\bin";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly string _wine;

    public WinePrefix(string wine)
    {
        _wine = wine;
        Root = Directory.CreateTempSubdirectory("azcni-wine-").FullName;
        K = Path.Combine(Root, "drive_c", "k");

        // Mono and Gecko are not wanted (the publish carries its own runtime) and would only slow the boot down.
        try
        {
            CommandResult boot = Shell.Run([wine, "wineboot", "--init"], Environment(new() { ["WINEDLLOVERRIDES"] = "mscoree,mshtml=d" }), TimeSpan.FromMinutes(10));
            if (!boot.Succeeded || !Directory.Exists(Path.Combine(Root, "drive_c", "windows", "system32")))
                throw new InvalidOperationException($"wineboot --init did not make a prefix in {Root}: {boot}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Installs the publish in <see cref="BinDirectory"/>.</summary>
    public void Install(string publishDirectory)
    {
        // Links, not copies: the publish is ~80 MB and Wine opens through them.
        string bin = Path.Combine(K, "azurecni", "bin");
        Directory.CreateDirectory(bin);
        foreach (string file in Directory.EnumerateFiles(publishDirectory))
            File.CreateSymbolicLink(Path.Combine(bin, Path.GetFileName(file)), file);
    }

    /// <summary>The prefix (WINEPREFIX).</summary>
    public string Root { get; }

    /// <summary>C:\k on the Linux side.</summary>
    public string K { get; }

    /// <summary>
    /// Runs the Windows program <paramref name="exe"/> (a Windows path) in the prefix, from C:\k, with
    /// <paramref name="variables"/> added to the environment.
    /// </summary>
    public CommandResult Run(string exe, IReadOnlyList<string> args, Dictionary<string, string> variables, string? stdin = null) =>
        Shell.Run([_wine, exe, .. args], Environment(variables), RunTimeout, stdin, workingDirectory: K);

    /// <summary>Installs a copy of <paramref name="exe"/> under another name in <see cref="BinDirectory"/> (a delegated plugin).</summary>
    public void InstallCopy(string exe, string name) => File.Copy(Path.Combine(K, "azurecni", "bin", exe), Path.Combine(K, "azurecni", "bin", name));

    public void Dispose()
    {
        Shell.Run([WineServer(_wine), "-k"], Environment(), RunTimeout);
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>
    /// wine64 on PATH, else where Debian's wine64 package puts it (/usr/lib/wine/wine64: the /usr/bin/wine wrapper is a
    /// separate package install-deps does not ask for); null when neither exists.
    /// </summary>
    public static string? FindWine()
    {
        foreach (string dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "wine64")))
                return Path.Combine(dir, "wine64");
        }

        return File.Exists("/usr/lib/wine/wine64") ? "/usr/lib/wine/wine64" : null;
    }

    // The wineserver of the same installation (Debian: /usr/lib/wine/wineserver beside wine64).
    private static string WineServer(string wine)
    {
        string beside = Path.Combine(Path.GetDirectoryName(wine)!, "wineserver");
        return File.Exists(beside) ? beside : "wineserver";
    }

    // No display (Wine's null driver), no debug channels, and none of the caller's state or log overrides.
    private Dictionary<string, string> Environment(Dictionary<string, string>? variables = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["WINEPREFIX"] = Root,
            ["WINEDEBUG"] = "-all",
            ["DISPLAY"] = "",
            ["AZURE_CNI_STATE_DIR"] = "",
            ["AZURE_CNI_LOG_DIR"] = "",
        };
        foreach ((string key, string value) in variables ?? [])
            environment[key] = value;
        return environment;
    }
}
