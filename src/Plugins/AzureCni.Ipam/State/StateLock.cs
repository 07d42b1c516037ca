using System.Diagnostics;
using System.Runtime.InteropServices;
using AzureCni.Cni;

namespace AzureCni.Ipam.State;

/// <summary>
/// An exclusive flock(2) on a lock file. The kernel drops it when the descriptor dies, so a killed
/// process never leaves a lock behind, and the file itself is never deleted (deleting it would let two
/// processes lock two different inodes).
/// </summary>
public sealed class StateLock : IDisposable
{
    /// <summary>How long an invocation waits for the lock before answering "try again later" (code 11).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly FileDescriptor _fd;

    private StateLock(FileDescriptor fd) => _fd = fd;

    /// <summary>Takes the lock, polling with LOCK_NB so the wait is bounded; throws CniException(11) on timeout.</summary>
    public static StateLock Acquire(string lockPath, TimeSpan timeout)
    {
        var fd = OpenLockFile(lockPath);
        try
        {
            if (TryLock(fd, lockPath))
            {
                return new StateLock(fd);
            }

            long start = Stopwatch.GetTimestamp();
            int sleepMs = 1;
            while (Stopwatch.GetElapsedTime(start) < timeout)
            {
                Thread.Sleep(sleepMs);
                if (TryLock(fd, lockPath))
                {
                    return new StateLock(fd);
                }

                sleepMs = Math.Min(sleepMs * 2, 20);
            }

            throw new CniException(
                CniErrorCode.TryAgainLater,
                $"timed out after {timeout.TotalSeconds:0.#} s waiting for the lock on {lockPath}",
                "another azure-vnet-ipam invocation holds it; retry");
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Takes the lock only if it is free now; null otherwise.</summary>
    public static StateLock? TryAcquire(string lockPath)
    {
        var fd = OpenLockFile(lockPath);
        if (TryLock(fd, lockPath))
        {
            return new StateLock(fd);
        }

        fd.Dispose();
        return null;
    }

    private static FileDescriptor OpenLockFile(string lockPath)
    {
        try
        {
            return FileDescriptor.Open(lockPath, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT, 0x180 /* 0600 */);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IOFailure, "cannot open the lock file: " + e.Message);
        }
    }

    private static bool TryLock(FileDescriptor fd, string lockPath)
    {
        while (true)
        {
            if (Interop.Libc.Flock(fd.Fd, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.Libc.EWOULDBLOCK)
            {
                return false;
            }

            if (errno != Interop.Libc.EINTR)
            {
                throw new IOException($"flock {lockPath}: {Interop.Libc.ErrorText(errno)}", errno);
            }
        }
    }

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _fd.Dispose();
}
