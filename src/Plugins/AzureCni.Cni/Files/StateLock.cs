using System.Diagnostics;

namespace AzureCni.Cni.Files;

/// <summary>
/// An exclusive lock on a lock file (flock on Linux, an unshared handle on Windows: see <see cref="IFilePrimitives"/>).
/// The system drops it when the process dies, so a killed process never leaves a lock behind, and the file itself
/// is never deleted (deleting it would let two processes lock two different files).
/// </summary>
public sealed class StateLock : IDisposable
{
    /// <summary>How long an invocation waits for the lock before answering "try again later" (code 11).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly IDisposable _held;

    private StateLock(IDisposable held) => _held = held;

    /// <summary>Takes the lock, polling so the wait is bounded; throws CniException(11) on timeout.</summary>
    public static StateLock Acquire(string lockPath, TimeSpan timeout, IFilePrimitives? files = null)
    {
        IDisposable? held;
        try
        {
            held = WaitFor(files ?? FilePrimitives.Current, lockPath, timeout);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IOFailure, "cannot open the lock file: " + e.Message);
        }

        return held is not null
            ? new StateLock(held)
            : throw new CniException(
                CniErrorCode.TryAgainLater,
                $"timed out after {timeout.TotalSeconds:0.#} s waiting for the lock on {lockPath}",
                "another invocation of the plugin holds it; retry");
    }

    /// <summary>Takes the lock only if it is free now; null otherwise.</summary>
    public static StateLock? TryAcquire(string lockPath, IFilePrimitives? files = null)
    {
        try
        {
            FilePrimitives.EnsureDirectoryOf(lockPath);
            return (files ?? FilePrimitives.Current).TryLock(lockPath) is { } held ? new StateLock(held) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IOFailure, "cannot open the lock file: " + e.Message);
        }
    }

    /// <summary>Closing the handle releases the lock.</summary>
    public void Dispose() => _held.Dispose();

    /// <summary>The held lock, or null when it stayed taken for <paramref name="timeout"/>; the directory is created if missing.</summary>
    internal static IDisposable? WaitFor(IFilePrimitives files, string lockPath, TimeSpan timeout)
    {
        FilePrimitives.EnsureDirectoryOf(lockPath);
        return Poll(() => files.TryLock(lockPath), timeout);
    }

    /// <summary>Calls <paramref name="tryTake"/> until it returns a lock (sleeping 1, 2, 4 ... 20 ms between tries); null after <paramref name="timeout"/>.</summary>
    internal static T? Poll<T>(Func<T?> tryTake, TimeSpan timeout)
        where T : class
    {
        if (tryTake() is { } held)
            return held;

        long start = Stopwatch.GetTimestamp();
        int sleepMs = 1;
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            Thread.Sleep(sleepMs);
            if (tryTake() is { } late)
                return late;
            sleepMs = Math.Min(sleepMs * 2, 20);
        }

        return null;
    }
}
