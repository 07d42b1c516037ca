using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AzureCni.Netlink;

/// <summary>
/// An open network namespace (a file such as <c>/var/run/netns/NAME</c> or <c>/proc/PID/ns/net</c>, i.e. CNI_NETNS).
/// Work runs inside it on a dedicated thread that is discarded afterwards, so no caller thread, and no pooled thread,
/// ever stays in a foreign namespace, even when the work throws or switching back fails.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    // The namespace of the calling thread (not of the process's main thread).
    private const string CurrentThreadPath = "/proc/thread-self/ns/net";

    private readonly SafeFileHandle _handle;

    private NetworkNamespace(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The path the namespace was opened from.</summary>
    public string Path { get; }

    /// <summary>The namespace file descriptor, e.g. for IFLA_NET_NS_FD.</summary>
    internal SafeFileHandle Handle => _handle;

    /// <summary>Opens a namespace by path. Equivalent to what <c>ip netns exec</c> opens.</summary>
    /// <exception cref="FileNotFoundException">The namespace does not exist (any more).</exception>
    public static NetworkNamespace Open(string path) =>
        new(File.OpenHandle(path, FileMode.Open, FileAccess.Read), path);

    /// <summary>Opens a namespace by path; false when the path does not exist (a DEL after the namespace went away).</summary>
    public static bool TryOpen(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NetworkNamespace? networkNamespace)
    {
        try
        {
            networkNamespace = Open(path);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            networkNamespace = null;
            return false;
        }
    }

    /// <summary>Runs <paramref name="action"/> inside this namespace on a dedicated thread and waits for it.</summary>
    public void Run(Action action) => Run(() =>
    {
        action();
        return true;
    });

    /// <summary>Runs <paramref name="work"/> inside this namespace on a dedicated thread and returns its result.</summary>
    /// <remarks>Exceptions thrown by the work are rethrown on the caller with their original stack.</remarks>
    public T Run<T>(Func<T> work)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using SafeFileHandle origin = File.OpenHandle(CurrentThreadPath, FileMode.Open, FileAccess.Read);
                Enter(_handle, Path);
                try
                {
                    result = work();
                }
                finally
                {
                    // The thread ends right after, so even a failed switch back cannot leak the namespace.
                    Enter(origin, CurrentThreadPath);
                }
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns worker",
        };
        thread.UnsafeStart();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Opens an rtnetlink handle whose socket lives in this namespace; it can then be used from any thread.</summary>
    public RouteNetlink OpenRouteNetlink() => new(new NetlinkClient(Run(NetlinkSocket.Open)));

    public void Dispose() => _handle.Dispose();

    private static void Enter(SafeFileHandle handle, string path)
    {
        if (global::Interop.Libc.SetNs(handle, global::Interop.Libc.CLONE_NEWNET) != 0)
            throw new NetlinkException(Marshal.GetLastPInvokeError(), $"enter network namespace '{path}'");
    }
}
