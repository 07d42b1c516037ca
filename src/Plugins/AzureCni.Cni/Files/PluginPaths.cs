namespace AzureCni.Cni.Files;

/// <summary>
/// Where a plugin keeps its state, locks and log, as upstream lays them out (node tooling and leak checkers read
/// them there): on Linux &lt;plugin&gt;.json and &lt;plugin&gt;.lock in /var/run and &lt;plugin&gt;.log in /var/log; on
/// Windows all of them in C:\k\. $AZURE_CNI_STATE_DIR and $AZURE_CNI_LOG_DIR override the directories (tests,
/// nodes with another layout). The platform is chosen at run time, so one build of the libraries serves both.
/// </summary>
public static class PluginPaths
{
    public const string StateDirVariable = "AZURE_CNI_STATE_DIR";
    public const string LogDirVariable = "AZURE_CNI_LOG_DIR";

    /// <summary>libcni's cache directory (its results/ holds each attachment's result), read to rebuild a damaged state file.</summary>
    public const string CniCacheDirVariable = "AZURE_CNI_CNI_CACHE_DIR";

    /// <summary>libcni's default cache directory (containerd, CRI-O and podman keep it).</summary>
    public const string DefaultCniCacheDir = "/var/lib/cni";

    public const string LinuxStateDir = "/var/run";
    public const string LinuxLogDir = "/var/log";

    /// <summary>Windows keeps state, locks and logs together (upstream writes them to its working directory, C:\k).</summary>
    public const string WindowsDir = @"C:\k";

    public static string DefaultStateDir => OperatingSystem.IsWindows() ? WindowsDir : LinuxStateDir;

    public static string DefaultLogDir => OperatingSystem.IsWindows() ? WindowsDir : LinuxLogDir;

    /// <summary>The state directory for an invocation with <paramref name="environment"/>.</summary>
    public static string StateDir(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(StateDirVariable, out string? dir) && dir.Length > 0 ? dir : DefaultStateDir;

    /// <summary>The state directory from this process's environment.</summary>
    public static string StateDirOfProcess() =>
        Environment.GetEnvironmentVariable(StateDirVariable) is { Length: > 0 } dir ? dir : DefaultStateDir;

    /// <summary>The log directory for an invocation with <paramref name="environment"/>.</summary>
    public static string LogDir(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(LogDirVariable, out string? dir) && dir.Length > 0 ? dir : DefaultLogDir;

    /// <summary>libcni's cache directory for an invocation with <paramref name="environment"/>.</summary>
    public static string CniCacheDir(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(CniCacheDirVariable, out string? dir) && dir.Length > 0 ? dir : DefaultCniCacheDir;

    /// <summary>libcni's cache directory from this process's environment.</summary>
    public static string CniCacheDirOfProcess() =>
        Environment.GetEnvironmentVariable(CniCacheDirVariable) is { Length: > 0 } dir ? dir : DefaultCniCacheDir;

    /// <summary>&lt;plugin&gt;.json: azure-vnet.json, azure-vnet-ipam.json.</summary>
    public static string StateFileName(string plugin) => plugin + ".json";

    /// <summary>&lt;plugin&gt;.lock beside the state file, never deleted (see <see cref="StateLock"/>).</summary>
    public static string LockFileName(string plugin) => plugin + ".lock";

    /// <summary>&lt;plugin&gt;.log in <paramref name="logDir"/>.</summary>
    public static string LogFile(string logDir, string plugin) => Path.Combine(logDir, plugin + ".log");
}
