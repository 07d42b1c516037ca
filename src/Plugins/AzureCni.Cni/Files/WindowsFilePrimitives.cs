using System.Diagnostics;

namespace AzureCni.Cni.Files;

/// <summary>
/// State and log files through the managed .NET file APIs, for Windows (where libc's flock, O_APPEND and rename
/// semantics do not exist):
/// <list type="bullet">
/// <item>lock: the lock file opened with FileShare.None; Windows refuses any other open of it until the handle closes,
/// which process death does;</item>
/// <item>replace: write PATH.tmp, Flush(true) (FlushFileBuffers), then File.Move over PATH (MoveFileEx, a rename
/// NTFS journals);</item>
/// <item>log: .NET's FileMode.Append writes at the end it saw when it opened, not at the end of the file, so each
/// line is appended under PATH.lock by a stream opened for that line (which also never writes into a file another
/// process just rolled away).</item>
/// </list>
/// It calls no Windows-only API, so it runs on Linux too, where the tests exercise it (.NET emulates FileShare.None
/// there with flock).
/// </summary>
public sealed class WindowsFilePrimitives : IFilePrimitives
{
    private const int Win32SharingViolation = unchecked((int)0x80070020);
    private const int Win32LockViolation = unchecked((int)0x80070021);
    private const int UnixWouldBlock = 11; // what .NET on Linux reports when its FileShare.None flock is taken

    /// <summary>How long a log line waits for the log lock before it is dropped (logging must never fail a call).</summary>
    public static readonly TimeSpan LogLockTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a replace retries while a reader has the state file open (Windows refuses to rename over it).</summary>
    public static readonly TimeSpan ReplaceRetryTimeout = TimeSpan.FromSeconds(2);

    public IDisposable? TryLock(string lockPath) => TryLockFile(lockPath);

    public ILockedFile? TryLockFile(string lockPath)
    {
        try
        {
            return new LockedStream(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
        }
        catch (IOException e) when (IsHeldByAnother(e))
        {
            return null;
        }
    }

    public byte[]? ReadOrNull(string path)
    {
        try
        {
            // FileShare.Delete: a reader must not stop a writer from renaming the new content over the file.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var buffer = new byte[Math.Max(stream.Length, 256)];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2);
                int n = stream.Read(buffer, length, buffer.Length - length);
                if (n == 0)
                    return buffer.AsSpan(0, length).ToArray();
                length += n;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        FilePrimitives.EnsureDirectoryOf(path);
        string temp = path + ".tmp";
        try
        {
            // FileMode.Create truncates whatever a killed writer left.
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            MoveOver(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public void ReplaceUnsynced(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
                stream.Write(bytes);

            MoveOver(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>No journal here: every state write is flushed before its rename.</summary>
    public byte[]? ReadState(string path) => ReadOrNull(path);

    public void WriteState(string path, byte[]? previous, ReadOnlySpan<byte> bytes, StateDurability durability) => Replace(path, bytes);

    public IAppendLog OpenLog(string path, long sizeLimit, int retainedFiles) => new AppendLog(this, path, sizeLimit, retainedFiles);

    // Windows: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION; Linux: the EWOULDBLOCK of .NET's emulation.
    private static bool IsHeldByAnother(IOException e) =>
        e.GetType() == typeof(IOException)
        && (e.HResult is Win32SharingViolation or Win32LockViolation || (!OperatingSystem.IsWindows() && e.HResult == UnixWouldBlock));

    // Windows cannot rename over a file another process has open (an unlocked reader of the state, a virus
    // scanner): such opens are short, so retry for a bounded time.
    private static void MoveOver(string temp, string path)
    {
        long start = Stopwatch.GetTimestamp();
        int sleepMs = 1;
        while (true)
        {
            try
            {
                File.Move(temp, path, overwrite: true);
                return;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException
                && e is not (FileNotFoundException or DirectoryNotFoundException)
                && Stopwatch.GetElapsedTime(start) < ReplaceRetryTimeout)
            {
                Thread.Sleep(sleepMs);
                sleepMs = Math.Min(sleepMs * 2, 20);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next replace truncates it.
        }
    }

    private sealed class LockedStream(FileStream stream) : ILockedFile
    {
        public int Read(Span<byte> into)
        {
            stream.Position = 0;
            int length = 0;
            while (length < into.Length && stream.Read(into[length..]) is > 0 and int n)
                length += n;
            return length;
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            stream.Position = 0;
            stream.Write(bytes);
        }

        public void Dispose() => stream.Dispose();
    }

    private sealed class AppendLog(WindowsFilePrimitives files, string path, long sizeLimit, int retainedFiles) : IAppendLog
    {
        private readonly string _lockPath = path + ".lock";

        public void Append(ReadOnlySpan<byte> line)
        {
            using IDisposable? held = StateLock.WaitFor(files, _lockPath, LogLockTimeout);
            if (held is null)
                throw new IOException($"timed out waiting for {_lockPath}");

            // FileShare.ReadWrite | Delete: readers (tail) never block the log, nor its roll.
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            try
            {
                if (stream.Length > 0 && stream.Length + line.Length > sizeLimit)
                {
                    stream.Dispose();
                    FilePrimitives.RollLog(path, retainedFiles);
                    stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                }

                stream.Write(line);
            }
            finally
            {
                stream.Dispose();
            }
        }

        public void Dispose()
        {
        }
    }
}
