using System.Globalization;
using System.Text;

namespace AzureCni.TestBed.CrashReplay;

/// <summary>A file as a crash left it: its bytes and its modification time (seconds since the epoch).</summary>
public sealed record FileImage(SparseContent Content, double ModifiedUnixSeconds);

/// <summary>One state of the directory a power cut can leave, and how it came about.</summary>
public sealed record CrashImage(IReadOnlyDictionary<string, FileImage> Files, string Description)
{
    public string Key => KeyOf(null);

    /// <summary>As <see cref="Key"/>, of the files in <paramref name="names"/> only (all when null).</summary>
    public string KeyOf(IReadOnlySet<string>? names) => string.Join(";", Files.Where(f => names?.Contains(f.Key) ?? true).OrderBy(f => f.Key, StringComparer.Ordinal)
        .Select(f => f.Key + "=" + f.Value.Content.Key + "@" + f.Value.ModifiedUnixSeconds.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Makes <paramref name="directory"/> hold exactly these files (those in <paramref name="names"/>, when given), with their times.</summary>
    public void Materialise(string directory, IReadOnlySet<string>? names = null)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        foreach (var (name, file) in Files.Where(f => names?.Contains(f.Key) ?? true))
        {
            string path = Path.Combine(directory, name);
            file.Content.WriteTo(path);
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddTicks((long)Math.Round(file.ModifiedUnixSeconds * TimeSpan.TicksPerSecond)));
        }
    }
}

/// <summary>
/// The files of one directory as the disk holds them, driven by the traced syscalls of the processes that write it.
/// Each file (inode) has a durable content, the one its last fsync/fdatasync made, and the writes since, which a
/// power cut may keep, drop, tear at a sector boundary, or (a write past the end of the file) leave as zeros, in any
/// combination. The directory has a durable list of names, the one its last fsync made, and the creations, renames
/// and unlinks since, of which a power cut keeps a prefix: ext4's journal commits namespace changes in order, and
/// without the directory's fsync nothing says how many. <see cref="Crashes"/> lists every state that leaves.
/// </summary>
public sealed class CrashFileSystem
{
    public const int SectorSize = 512;

    private sealed class Inode(int id)
    {
        public int Id { get; } = id;

        public SparseContent Durable { get; set; } = SparseContent.Empty;

        public SparseContent Volatile { get; set; } = SparseContent.Empty;

        public List<DataWrite> Unsynced { get; } = [];

        public double Modified { get; set; }
    }

    /// <summary>A write (Bytes) or a truncation (Bytes null) not yet synced.</summary>
    private sealed record DataWrite(long Offset, byte[]? Bytes, long TruncateTo, string Label);

    private abstract record NameChange;

    private sealed record Created(string Name, Inode Inode) : NameChange;

    private sealed record Renamed(string From, string To) : NameChange;

    private sealed record Unlinked(string Name) : NameChange;

    private sealed record Handle(Inode? Inode, bool Append)
    {
        public long Position { get; set; }
    }

    private readonly Dictionary<string, Inode> _durableNames = new(StringComparer.Ordinal);
    private readonly List<NameChange> _pending = [];
    private readonly Dictionary<int, Handle> _handles = [];
    private int _inodes;

    /// <param name="directory">The directory the traced processes write, as the trace names it.</param>
    /// <param name="initial">What the disk held before the first traced call (all of it durable); empty when null.</param>
    public CrashFileSystem(string directory, CrashImage? initial = null)
    {
        Directory = Path.GetFullPath(directory).TrimEnd('/');
        foreach (var (name, file) in initial?.Files ?? new Dictionary<string, FileImage>())
            _durableNames[name] = new Inode(++_inodes) { Durable = file.Content, Volatile = file.Content, Modified = file.ModifiedUnixSeconds };
    }

    public string Directory { get; }

    /// <summary>A new process: descriptors of the previous one are gone.</summary>
    public void BeginProcess() => _handles.Clear();

    /// <summary>
    /// Applies one syscall; returns what it did to the directory ("" when it touched nothing of it, a syscall on
    /// another file or a read). A syscall on the directory that this model does not know throws.
    /// </summary>
    public string Apply(Syscall call)
    {
        if (call.Failed)
            return "";
        switch (call.Name)
        {
            case "open" or "openat" or "creat":
                return Open(call);
            case "write" or "pwrite64":
                return Write(call);
            case "fsync" or "fdatasync":
                return Sync(call);
            case "ftruncate":
                return Handled(call.Args[0]) is { Inode: { } inode } ? Data(inode, new DataWrite(0, null, call.Args[1].Number, "ftruncate"), call.Time) : "";
            case "lseek":
                if (Handled(call.Args[0]) is { } seeked)
                    seeked.Position = call.Result.Number;
                return "";
            case "rename" or "renameat" or "renameat2":
                return Rename(call);
            case "unlink" or "unlinkat":
                return Unlink(call);
            case "sync" or "syncfs" or "sync_file_range":
                throw new NotSupportedException("the crash model does not know " + call.Name);
            default:
                if (call.Args.Any(a => a.Path is { } p && InDirectory(p)) || call.Args.Any(a => a.Bytes is not null && InDirectory(Encoding.UTF8.GetString(a.Bytes))))
                    throw new NotSupportedException("the crash model does not know " + call.Name + " on the state directory");
                return "";
        }
    }

    /// <summary>The directory as it is now, for readers of the running system (and for a crash that lost nothing).</summary>
    public CrashImage Current() =>
        new(Names(_pending.Count).ToDictionary(n => n.Key, n => new FileImage(n.Value.Volatile, n.Value.Modified)), "nothing lost");

    /// <summary>
    /// Every state a power cut now can leave: each prefix of the unsynced name changes, and for the files named in
    /// <paramref name="varied"/> each combination of their unsynced writes kept, dropped, torn or zeroed (the other
    /// files as written). Duplicates removed.
    /// </summary>
    public IEnumerable<CrashImage> Crashes(IReadOnlySet<string> varied)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int kept = 0; kept <= _pending.Count; kept++)
        {
            var names = Names(kept);
            var choices = names.Select(n => varied.Contains(n.Key)
                    ? Variants(n.Value).Select(v => (n.Key, Image: new FileImage(v.Content, n.Value.Modified), v.Label)).ToList()
                    : [(n.Key, new FileImage(n.Value.Volatile, n.Value.Modified), "")])
                .ToList();
            foreach (var combination in Cartesian(choices))
            {
                var image = new CrashImage(
                    combination.ToDictionary(c => c.Key, c => c.Image, StringComparer.Ordinal),
                    $"{kept} of {_pending.Count} unsynced name changes kept; " + string.Join("; ", combination.Where(c => c.Label.Length > 0).Select(c => c.Key + ": " + c.Label)));
                if (seen.Add(image.Key))
                    yield return image;
            }
        }
    }

    /// <summary>The worst case: every unsynced write and name change lost.</summary>
    public CrashImage AllUnsyncedLost() => Image(0, durableContent: true, "every unsynced write and name change lost");

    /// <summary>The renames on disk, the data they moved not: the zero-length files of a delayed allocation.</summary>
    public CrashImage NamesKeptDataLost() => Image(_pending.Count, durableContent: true, "every name change kept, every unsynced write lost");

    private CrashImage Image(int kept, bool durableContent, string description) =>
        new(Names(kept).ToDictionary(n => n.Key, n => new FileImage(durableContent ? n.Value.Durable : n.Value.Volatile, n.Value.Modified)), description);

    private Dictionary<string, Inode> Names(int kept)
    {
        var names = new Dictionary<string, Inode>(_durableNames, StringComparer.Ordinal);
        foreach (var change in _pending.Take(kept))
            ApplyTo(names, change);
        return names;
    }

    private static void ApplyTo(Dictionary<string, Inode> names, NameChange change)
    {
        switch (change)
        {
            case Created created:
                names[created.Name] = created.Inode;
                break;
            case Renamed renamed:
                if (names.Remove(renamed.From, out var inode))
                    names[renamed.To] = inode;
                break;
            case Unlinked unlinked:
                names.Remove(unlinked.Name);
                break;
        }
    }

    // Each unsynced write in turn: dropped, kept, torn after its first sector, or (past the end) zeros. Writes to one
    // file may reach the disk in any order (page writeback), so every combination counts.
    private static List<(SparseContent Content, string Label)> Variants(Inode inode)
    {
        if (inode.Unsynced.Count > 6)
            throw new InvalidOperationException($"{inode.Unsynced.Count} unsynced writes on one file: too many combinations");
        var variants = new List<(SparseContent Content, string Label)> { (inode.Durable, "") };
        static string And(string label, string more) => label.Length == 0 ? more : label + ", " + more;
        foreach (var write in inode.Unsynced)
        {
            var next = new List<(SparseContent, string)>();
            foreach (var (content, label) in variants)
            {
                next.Add((content, And(label, write.Label + " lost")));
                if (write.Bytes is null)
                {
                    next.Add((content.Truncate(write.TruncateTo), And(label, write.Label + " kept")));
                    continue;
                }

                next.Add((content.Write(write.Offset, write.Bytes), And(label, write.Label + " kept")));
                // Torn: the first sector written, the rest of the range as it was (zeros past the old end): the size
                // is metadata, and the journal may commit it before the data lands.
                int firstSector = (int)(SectorSize - (write.Offset % SectorSize));
                if (firstSector < write.Bytes.Length)
                {
                    var rest = content.Write(write.Offset + write.Bytes.Length - 1, [0]).Slice(write.Offset + firstSector, write.Bytes.Length - firstSector);
                    next.Add((content.Write(write.Offset, [.. write.Bytes.AsSpan(0, firstSector), .. rest]), And(label, write.Label + " torn")));
                }
                if (write.Offset + write.Bytes.Length > content.Length)
                    next.Add((content.Write(write.Offset, new byte[write.Bytes.Length]), And(label, write.Label + " zeros")));
            }

            variants = next.DistinctBy(v => v.Item1.Key).ToList();
        }

        return variants;
    }

    private static IEnumerable<List<T>> Cartesian<T>(List<List<T>> choices)
    {
        IEnumerable<List<T>> result = [[]];
        foreach (var choice in choices)
            result = result.SelectMany(prefix => choice.Select(c => new List<T>(prefix) { c }));
        return result;
    }

    private string Open(Syscall call)
    {
        int fd = (int)call.Result.Number;
        _handles.Remove(fd);
        string? path = call.Result.Path;
        if (path is null || !(path == Directory || InDirectory(path)))
            return "";
        if (path == Directory)
        {
            _handles[fd] = new Handle(null, false);
            return "";
        }

        string name = Path.GetFileName(path);
        var flags = call.Name == "creat" ? new SyscallValue("O_CREAT|O_WRONLY|O_TRUNC", null, null) : call.Args[call.Name == "open" ? 1 : 2];
        var names = Names(_pending.Count);
        string what = "";
        if (!names.TryGetValue(name, out var inode))
        {
            inode = new Inode(++_inodes) { Modified = call.Time };
            _pending.Add(new Created(name, inode));
            what = "create " + name;
        }

        if (flags.HasFlag("O_TRUNC") && inode.Volatile.Length > 0)
            what = (what.Length > 0 ? what + ", " : "") + Data(inode, new DataWrite(0, null, 0, "truncate of " + name), call.Time);
        _handles[fd] = new Handle(inode, flags.HasFlag("O_APPEND"));
        return what;
    }

    private string Write(Syscall call)
    {
        if (Handled(call.Args[0]) is not { Inode: { } inode } handle)
            return "";
        long written = call.Result.Number;
        var bytes = call.Args[1].Bytes!.AsSpan(0, (int)written).ToArray();
        long offset = call.Name == "pwrite64" ? call.Args[3].Number : handle.Append ? inode.Volatile.Length : handle.Position;
        if (call.Name == "write")
            handle.Position = offset + written;
        return Data(inode, new DataWrite(offset, bytes, 0, $"{call.Name} of {written} bytes at {offset}"), call.Time);
    }

    private string Data(Inode inode, DataWrite write, double time)
    {
        inode.Volatile = write.Bytes is null ? inode.Volatile.Truncate(write.TruncateTo) : inode.Volatile.Write(write.Offset, write.Bytes);
        inode.Unsynced.Add(write);
        inode.Modified = time;
        return write.Label + " to inode " + inode.Id.ToString(CultureInfo.InvariantCulture);
    }

    private string Sync(Syscall call)
    {
        if (Handled(call.Args[0]) is not { } handle)
            return "";
        if (handle.Inode is not { } inode)
        {
            foreach (var change in _pending)
                ApplyTo(_durableNames, change);
            _pending.Clear();
            return "fsync of the directory";
        }

        inode.Durable = inode.Volatile;
        inode.Unsynced.Clear();
        return $"{call.Name} of inode {inode.Id}";
    }

    private string Rename(Syscall call)
    {
        bool at = call.Name != "rename";
        string from = Resolve(at ? call.Args[0] : null, call.Args[at ? 1 : 0]);
        string to = Resolve(at ? call.Args[2] : null, call.Args[at ? 3 : 1]);
        if (!InDirectory(from) && !InDirectory(to))
            return "";
        if (!InDirectory(from) || !InDirectory(to))
            throw new NotSupportedException($"a rename across the state directory's boundary: {from} to {to}");
        _pending.Add(new Renamed(Path.GetFileName(from), Path.GetFileName(to)));
        return $"rename {Path.GetFileName(from)} to {Path.GetFileName(to)}";
    }

    private string Unlink(Syscall call)
    {
        string path = Resolve(call.Name == "unlinkat" ? call.Args[0] : null, call.Args[call.Name == "unlinkat" ? 1 : 0]);
        if (!InDirectory(path))
            return "";
        _pending.Add(new Unlinked(Path.GetFileName(path)));
        return "unlink " + Path.GetFileName(path);
    }

    private Handle? Handled(SyscallValue fd) =>
        int.TryParse(fd.Token, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && _handles.TryGetValue(n, out var handle) ? handle : null;

    private static string Resolve(SyscallValue? dirFd, SyscallValue path)
    {
        string text = path.Text;
        return Path.IsPathRooted(text) ? text : Path.Combine(dirFd?.Path ?? throw new NotSupportedException("a relative path without its directory: " + text), text);
    }

    private bool InDirectory(string path) => string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Directory, StringComparison.Ordinal);
}
