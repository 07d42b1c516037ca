namespace AzureCni.Cni.Files;

/// <summary>
/// The file operations behind every plugin's state and log, with one implementation per platform:
/// <see cref="LinuxFilePrimitives"/> (libc: flock, O_APPEND, fsync, rename) and <see cref="WindowsFilePrimitives"/>
/// (managed .NET file APIs). <see cref="FilePrimitives.Current"/> picks one at run time.
/// </summary>
public interface IFilePrimitives
{
    /// <summary>
    /// Takes the exclusive lock of <paramref name="lockPath"/> (creating the file) if no one holds it now; null
    /// when someone does. Disposing the result releases it, and so does the death of the process.
    /// </summary>
    IDisposable? TryLock(string lockPath);

    /// <summary>
    /// As <see cref="TryLock"/>, with the lock file's own bytes readable and writable through the result: a small
    /// record that the lock guards, kept in the lock file so that an update costs one open. A missing directory is
    /// an IOException (never created here).
    /// </summary>
    ILockedFile? TryLockFile(string lockPath);

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    byte[]? ReadOrNull(string path);

    /// <summary>
    /// Replaces the file's content crash-safely: a reader, or a crash, sees the old or the new bytes, never a
    /// mix. Call with the file's lock held (one fixed temporary name is then enough).
    /// </summary>
    void Replace(string path, ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Replaces the file's content whole for readers and against a kill, without flushing it to disk: for files that
    /// need atomicity, not durability, and that another user's process reads (metrics: readable by all). Call with
    /// the file's lock held.
    /// </summary>
    void ReplaceUnsynced(string path, ReadOnlySpan<byte> bytes);

    /// <summary>
    /// A state file's bytes, null when it does not exist. Where state writes are journaled (Linux), a file that a
    /// power cut left empty, torn or older than the last durable write is read from its journal instead.
    /// </summary>
    byte[]? ReadState(string path);

    /// <summary>
    /// Replaces a state file as <see cref="Replace"/> does, at the cost of at most one flush to disk (Linux: one
    /// fdatasync of the file's journal; Windows: FlushFileBuffers). Call with the file's lock held;
    /// <paramref name="previous"/> is what <see cref="ReadState"/> gave under that lock (null: no file, or not known).
    /// <see cref="StateDurability.WriteAhead"/>: a record that protects what a power cut undoes anyway; may be
    /// lost to one (the file then holds the write before it, whole), never to a kill.
    /// </summary>
    void WriteState(string path, byte[]? previous, ReadOnlySpan<byte> bytes, StateDurability durability);

    /// <summary>
    /// A log file that concurrent processes append whole lines to without losing or mixing any; the first
    /// writer to find it at <paramref name="sizeLimit"/> rolls it (path → path.1 → … → path.<paramref name="retainedFiles"/>).
    /// </summary>
    IAppendLog OpenLog(string path, long sizeLimit, int retainedFiles);
}

/// <summary>A held lock on a file whose bytes it guards (<see cref="IFilePrimitives.TryLockFile"/>); disposing releases it.</summary>
public interface ILockedFile : IDisposable
{
    /// <summary>Reads from the start of the file into <paramref name="into"/>; the count read, less when the file is shorter.</summary>
    int Read(Span<byte> into);

    /// <summary>Writes <paramref name="bytes"/> at the start of the file, leaving what lies beyond them (a record carries its own length).</summary>
    void Write(ReadOnlySpan<byte> bytes);
}

/// <summary>What a state write must survive.</summary>
public enum StateDurability
{
    /// <summary>On disk before the call returns: survives a power cut.</summary>
    Durable,

    /// <summary>Survives a kill of the process, and a power cut only as far as the kernel wrote it back.</summary>
    WriteAhead,
}

/// <summary>One process's handle on a shared log file.</summary>
public interface IAppendLog : IDisposable
{
    /// <summary>Appends <paramref name="line"/> as one unit; throws IOException when the file cannot be written.</summary>
    void Append(ReadOnlySpan<byte> line);
}

/// <summary>The platform's <see cref="IFilePrimitives"/>.</summary>
public static class FilePrimitives
{
    /// <summary>libc on Linux; on any other system (Windows) the managed implementation.</summary>
    public static IFilePrimitives Current { get; } = OperatingSystem.IsLinux() ? new LinuxFilePrimitives() : new WindowsFilePrimitives();

    /// <summary>
    /// Shifts the rolled copies of a log one place (path.N dropped, path → path.1). Call under the log's lock; a copy
    /// that is already gone (a writer of another version rolling under its own lock mid-upgrade) is skipped.
    /// </summary>
    internal static void RollLog(string path, int retainedFiles)
    {
        File.Delete($"{path}.{retainedFiles}");
        for (int i = retainedFiles - 1; i >= 0; i--)
        {
            string from = i == 0 ? path : $"{path}.{i}";
            try
            {
                File.Move(from, $"{path}.{i + 1}", overwrite: true);
            }
            catch (FileNotFoundException)
            {
            }
        }
    }

    internal static void EnsureDirectoryOf(string path)
    {
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory && !Directory.Exists(directory))
            Directory.CreateDirectory(directory);
    }
}
