using System.Text;
using AzureCni.Cni.Processes;

namespace AzureCni.Cni.Delegation;

/// <summary>
/// A delegated plugin: found in CNI_PATH as libcni finds it, and run with the config on stdin and no
/// arguments (<see cref="ChildProcess"/> does the running).
/// </summary>
public static unsafe class PluginProcess
{
    /// <summary>
    /// Looks <paramref name="type"/> up in <paramref name="cniPath"/> as libcni does: ':'-separated directories
    /// holding an executable named <paramref name="type"/>, or on Windows ';'-separated ones holding
    /// <c>&lt;type&gt;.exe</c>; code 7 naming both when absent.
    /// </summary>
    public static string Find(string type, string cniPath) => Find(type, cniPath, OperatingSystem.IsWindows());

    internal static string Find(string type, string cniPath, bool windows)
    {
        if (type.Length == 0 || type.Contains('/') || (windows && type.Contains('\\')) || type is "." or "..")
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"invalid delegated plugin type \"{type}\"");

        foreach (var dir in cniPath.Split(windows ? ';' : ':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Join(dir, windows ? type + ".exe" : type);
            if (windows ? File.Exists(candidate) : IsExecutable(candidate))
                return candidate;
        }

        throw new CniException(
            CniErrorCode.InvalidNetworkConfig,
            $"failed to find plugin \"{type}\" in path [{cniPath}]",
            "the delegated plugin must be an executable file in one of the CNI_PATH directories");
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
            return false;

        byte[] bytes = NullTerminated(path);
        fixed (byte* p = bytes)
        {
            return Interop.Libc.access(p, Interop.Libc.X_OK) == 0;
        }
    }

    /// <summary>Spawns <paramref name="path"/> with <paramref name="environment"/>, feeds it <paramref name="stdin"/>, waits for it.</summary>
    public static ProcessExit Run(string path, IEnumerable<KeyValuePair<string, string>> environment, ReadOnlySpan<byte> stdin) =>
        ChildProcess.Run(path, [], environment, stdin);

    private static byte[] NullTerminated(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
