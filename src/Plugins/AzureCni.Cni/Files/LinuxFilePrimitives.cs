using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AzureCni.Cni.Files;

/// <summary>
/// State and log files through libc: flock(2) locks, which the kernel drops with the descriptor (a killed
/// process never leaves one behind); write temp + fsync + rename(2) + fsync of the directory for replacing, and
/// for state files the cheaper journaled write of <see cref="StateJournal"/>;
/// O_APPEND writes, one write(2) per line, for logs. Raw descriptors, no FileStream: this is on every
/// invocation's start-up path.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LinuxFilePrimitives : IFilePrimitives
{
    internal const int OwnerOnly = 0x180; // 0600
    private const int WorldReadable = 0x1A4; // 0644: metrics, which a collector running as another user reads
    private const int LogMode = 0x1A0; // 0640: logs may name pods; not world-readable.

    public IDisposable? TryLock(string lockPath) => TryLockFile(lockPath);

    public ILockedFile? TryLockFile(string lockPath)
    {
        var fd = SafeFd.Open(lockPath, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT, OwnerOnly);
        try
        {
            if (TryFlock(fd, lockPath, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB))
                return new LockedFd(fd, lockPath);
        }
        catch
        {
            fd.Dispose();
            throw;
        }

        fd.Dispose();
        return null;
    }

    public byte[]? ReadOrNull(string path)
    {
        // A FIFO or device named by a config would block the open or never end the read (under a lock):
        // only regular files are read, opened non-blocking should one be swapped in after the look.
        if (FileStatus.Of(path) is not { } status)
            return null;

        if (!status.IsRegularFile)
            throw new IOException($"{path} is not a regular file");

        using var fd = SafeFd.OpenOrNullIfMissing(path, Interop.Libc.O_RDONLY | Interop.Libc.O_NONBLOCK);
        return fd?.ReadAll(path);
    }

    public void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        FilePrimitives.EnsureDirectoryOf(path);
        string directory = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        string temp = path + ".tmp";
        try
        {
            // O_TRUNC reuses whatever a killed writer left.
            using (var fd = SafeFd.Open(temp, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_TRUNC, OwnerOnly))
            {
                fd.WriteAll(bytes, temp);
                fd.Sync(temp);
            }

            Rename(temp, path);
        }
        catch
        {
            Interop.Libc.unlink(temp);
            throw;
        }

        // The rename is durable only once the directory entry is.
        using var dir = SafeFd.Open(directory, Interop.Libc.O_RDONLY | Interop.Libc.O_DIRECTORY);
        dir.Sync(directory);
    }

    /// <summary>
    /// Temp + swap: PATH.tmp gets the new bytes and exchanges names with PATH (renameat2 RENAME_EXCHANGE), so the old
    /// file stays behind as PATH.tmp, the next call's temp file. A rename over PATH would make ext4 start writing the
    /// new file back before it returns (auto_da_alloc, which makes rename-without-fsync survive a power cut): ~1.3 ms
    /// on this machine's disk. The next call rewrites that old file in place only under a write lease, which the kernel
    /// grants only when no one else has it open: a reader (the collector) that opened it before the swap still holds
    /// it, and then a new file is made instead, so no reader ever sees bytes change under it. Reusing it spares ext4 an
    /// inode made and freed per call (~0.05 ms in a fresh process). After a power cut PATH may be empty or older: only
    /// a file that can start over affords that (metrics: counters reset, as Prometheus expects). Call under PATH's lock.
    /// </summary>
    public void ReplaceUnsynced(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = path + ".tmp";
        var (fd, reused) = OpenUnheldOrNew(temp);
        using (fd)
        {
            fd.WriteAllAt(bytes, 0, temp);
            // The old content may be longer (an IPAM pool dropped since); its size asked for first, as a truncate to
            // the same size still costs ext4 a journaled inode update.
            if (reused && Interop.Libc.lseek(fd.Fd, 0, Interop.Libc.SEEK_END) > bytes.Length && Interop.Libc.ftruncate(fd.Fd, bytes.Length) != 0)
                throw new IOException($"truncate {temp}: {Interop.Libc.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        if (Interop.Libc.renameat2(Interop.Libc.AT_FDCWD, temp, Interop.Libc.AT_FDCWD, path, Interop.Libc.RENAME_EXCHANGE) == 0)
            return;
        int errno = Marshal.GetLastPInvokeError();
        // No file yet to swap with (ENOENT), or a file system or kernel without the exchange: a plain rename.
        if (errno is not (Interop.Libc.ENOENT or Interop.Libc.EINVAL or Interop.Libc.ENOSYS))
            throw new IOException($"rename {temp} to {path}: {Interop.Libc.ErrorText(errno)}", errno);
        Rename(temp, path);
    }

    // The temp file left by the last swap when no one else has it open (its write lease is granted), else a new one
    // (the old name unlinked first: a reader keeps its copy whole).
    private static (SafeFd Fd, bool Reused) OpenUnheldOrNew(string temp)
    {
        if (SafeFd.OpenOrNullIfMissing(temp, Interop.Libc.O_WRONLY) is { } spare)
        {
            // Anyone opening the file while the lease is held (not the collector: it reads *.prom) makes the kernel
            // signal the holder, with SIGIO unless told otherwise, and SIGIO's default is to terminate: SIGURG's is
            // to ignore. The opener then waits the few microseconds until the close below gives the lease up.
            if (Interop.Libc.fcntl(spare.Fd, Interop.Libc.F_SETSIG, Interop.Libc.SIGURG) == 0
                && Interop.Libc.fcntl(spare.Fd, Interop.Libc.F_SETLEASE, Interop.Libc.F_WRLCK) == 0)
                return (spare, true); // closing it gives the lease up
            spare.Dispose();
            if (Interop.Libc.unlink(temp) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Interop.Libc.ENOENT)
                throw new IOException($"unlink {temp}: {Interop.Libc.ErrorText(errno)}", errno);
        }

        return (SafeFd.Open(temp, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_EXCL, WorldReadable), false);
    }

    /// <summary>Temp + rename, nothing synced: concurrent readers and a kill see the old or the new file whole.</summary>
    internal static void RenameInto(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = path + ".tmp";
        try
        {
            // O_TRUNC reuses whatever a killed writer left.
            using (var fd = SafeFd.Open(temp, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_TRUNC, OwnerOnly))
                fd.WriteAll(bytes, temp);

            Rename(temp, path);
        }
        catch
        {
            Interop.Libc.unlink(temp);
            throw;
        }
    }

    private sealed class LockedFd(SafeFd fd, string path) : ILockedFile
    {
        public int Read(Span<byte> into) => fd.ReadOnceAt(into, 0, path);

        public void Write(ReadOnlySpan<byte> bytes) => fd.WriteAllAt(bytes, 0, path);

        public void Dispose() => fd.Dispose();
    }

    private static void Rename(string from, string to)
    {
        if (Interop.Libc.rename(from, to) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"rename {from} to {to}: {Interop.Libc.ErrorText(errno)}", errno);
        }
    }

    public byte[]? ReadState(string path) => StateJournal.Read(path, ReadOrNull(path));

    public void WriteState(string path, byte[]? previous, ReadOnlySpan<byte> bytes, StateDurability durability)
    {
        FilePrimitives.EnsureDirectoryOf(path);
        // A tmpfs (a node's /var/run) keeps nothing across a power cut, so there is nothing to flush or journal:
        // the rename alone keeps the file whole for readers and kills.
        if (FileStatus.FileSystemOf(Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".") == FileStatus.TmpFileSystem)
            RenameInto(path, bytes);
        else
            StateJournal.Write(path, previous, bytes, durability == StateDurability.Durable, Replace);
    }

    public IAppendLog OpenLog(string path, long sizeLimit, int retainedFiles) => new AppendLog(path, sizeLimit, retainedFiles);

    private static bool TryFlock(SafeFd fd, string path, int operation)
    {
        while (true)
        {
            if (Interop.Libc.flock(fd.Fd, operation) == 0)
                return true;

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.Libc.EWOULDBLOCK)
                return false;
            if (errno != Interop.Libc.EINTR)
                throw new IOException($"flock {path}: {Interop.Libc.ErrorText(errno)}", errno);
        }
    }

    // One write(2) per line on an O_APPEND descriptor: the kernel puts each at the end, so concurrent writers never
    // overwrite each other's lines. Rolls are serialised by an flock on PATH.lock, one stable file for every writer:
    // the log's own inode would not do, as writers still holding the file rolled away lock a different one.
    private sealed class AppendLog(string path, long sizeLimit, int retainedFiles) : IAppendLog
    {
        private SafeFd? _fd;

        public void Append(ReadOnlySpan<byte> line)
        {
            _fd ??= Open();
            if (Interop.Libc.lseek(_fd.Fd, 0, Interop.Libc.SEEK_END) + line.Length > sizeLimit)
            {
                Roll();
                _fd.Dispose();
                _fd = Open();
            }

            _fd.WriteAll(line, path);
        }

        public void Dispose()
        {
            _fd?.Dispose();
            _fd = null;
        }

        private SafeFd Open() =>
            SafeFd.Open(path, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_APPEND, LogMode);

        private void Roll()
        {
            using var rollLock = SafeFd.Open(path + ".lock", Interop.Libc.O_RDWR | Interop.Libc.O_CREAT, LogMode);
            if (!TryFlock(rollLock, path + ".lock", Interop.Libc.LOCK_EX))
                return;

            // Another writer may have rolled it while we waited: roll only a file still over the limit.
            var current = new FileInfo(path);
            if (current.Exists && current.Length >= sizeLimit)
                FilePrimitives.RollLog(path, retainedFiles);
        }
    }
}
