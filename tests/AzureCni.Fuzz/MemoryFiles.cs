using AzureCni.Cni.Files;

namespace AzureCni.Fuzz;

/// <summary>File primitives over a dictionary: a state file the fuzzer wrote, read and replaced without disk I/O.</summary>
public sealed class MemoryFiles : IFilePrimitives
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public byte[]? this[string path]
    {
        get => _files.GetValueOrDefault(path);
        set
        {
            if (value is null)
                _files.Remove(path);
            else
                _files[path] = value;
        }
    }

    /// <summary>How many times a file was replaced.</summary>
    public int Writes { get; private set; }

    public IDisposable? TryLock(string lockPath) => new Held();

    public ILockedFile? TryLockFile(string lockPath) => throw new NotSupportedException("no metrics in the fuzz targets");

    public byte[]? ReadOrNull(string path) => _files.GetValueOrDefault(path);

    public void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        _files[path] = bytes.ToArray();
        Writes++;
    }

    public void ReplaceUnsynced(string path, ReadOnlySpan<byte> bytes) => Replace(path, bytes);

    public byte[]? ReadState(string path) => ReadOrNull(path);

    public void WriteState(string path, byte[]? previous, ReadOnlySpan<byte> bytes, StateDurability durability) => Replace(path, bytes);

    public IAppendLog OpenLog(string path, long sizeLimit, int retainedFiles) => throw new NotSupportedException("no logs in the fuzz targets");

    private sealed class Held : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
