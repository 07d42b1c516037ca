namespace AzureCni.TestBed.CrashReplay;

/// <summary>
/// The directory after one traced syscall of a recorded call, or after the call's answer reached the runtime
/// (<see cref="Answered"/>: its result printed, or the process returned): a prefix a power cut can end.
/// </summary>
public sealed record CrashStep(int Index, int Call, string What, bool Answered, List<CrashImage> Crashes, CrashImage[] WorstCases,
    byte[]? Written, IReadOnlyDictionary<string, byte[]?> Files);

/// <summary>One write of a state file: its bytes, the step that first put them on the disk (a journal slot), its call.</summary>
public sealed record StateWrite(byte[] Bytes, int Issued, int Call);

/// <summary>
/// Recorded calls on one state directory as a list of <see cref="CrashStep"/>s, each with every state a power cut
/// there can leave, and for each state file which of its contents a reader may find after such a cut.
/// <paramref name="variedTogether"/> bounds the combinations: each set's files have their unsynced writes varied
/// together, the others kept as written (one set, all of <paramref name="readFiles"/>, when null). The worst cases
/// (<see cref="CrashStep.WorstCases"/>) lose or keep everything at once whatever the sets.
/// </summary>
public sealed class CrashRecording(string directory, IReadOnlySet<string> readFiles, IReadOnlyList<IReadOnlySet<string>>? variedTogether = null)
{
    private readonly CrashFileSystem _fs = new(directory);

    public List<CrashStep> Steps { get; } = [];

    /// <summary>The files a reader reads, whose unsynced writes are varied (the others are kept as written).</summary>
    public IReadOnlySet<string> ReadFiles => readFiles;

    /// <summary>Applies the trace of the next call, which the runtime saw succeed.</summary>
    public void Add(List<Syscall> trace)
    {
        int call = Steps.Count == 0 ? 0 : Steps[^1].Call + 1;
        _fs.BeginProcess();
        bool answered = false;
        foreach (var syscall in trace)
        {
            bool printed = syscall.Name == "write" && syscall.Args[0].Token == "1";
            string what = _fs.Apply(syscall);
            if (what.Length == 0 && !printed)
                continue;
            byte[]? written = syscall.Name is "write" or "pwrite64" && !printed ? syscall.Args[1].Bytes : null;
            Snapshot(call, printed ? "the result printed" : what, printed, written);
            answered |= printed;
        }

        if (!answered)
            Snapshot(call, "the call returned", answered: true, null);
    }

    private void Snapshot(int call, string what, bool answered, byte[]? written)
    {
        var current = _fs.Current();
        var files = readFiles.ToDictionary(f => f, f => current.Files.TryGetValue(f, out var file) ? file.Content.ToArray() : null, StringComparer.Ordinal);
        var crashes = (variedTogether ?? [readFiles]).SelectMany(_fs.Crashes).DistinctBy(c => c.Key).ToList();
        Steps.Add(new CrashStep(Steps.Count + 1, call, what, answered, crashes,
            [_fs.AllUnsyncedLost(), _fs.NamesKeptDataLost(), current], written, files));
    }

    /// <summary>Each new content of <paramref name="file"/>, with the first step that wrote those bytes anywhere.</summary>
    public List<StateWrite> WritesOf(string file)
    {
        var writes = new List<StateWrite>();
        byte[]? previous = null;
        foreach (var step in Steps)
        {
            if (step.Files[file] is not { } bytes || (previous is not null && bytes.AsSpan().SequenceEqual(previous)))
                continue;
            previous = bytes;
            var issued = Steps.First(s => s.Written is { } w && w.AsSpan().IndexOf(bytes) >= 0);
            writes.Add(new StateWrite(bytes, issued.Index, step.Call));
        }

        return writes;
    }

    /// <summary>
    /// What a reader of <paramref name="file"/> may find after a cut at <paramref name="step"/>: a write no older than
    /// the last one whose call had answered and no newer than the last one begun; no file only while none had answered.
    /// </summary>
    public List<byte[]?> Allowed(CrashStep step, string file)
    {
        var writes = WritesOf(file);
        int answered = -1;
        for (int j = 0; j < writes.Count; j++)
        {
            if (Steps.Exists(s => s.Answered && s.Call == writes[j].Call && s.Index <= step.Index))
                answered = j;
        }

        var allowed = new List<byte[]?>();
        if (answered < 0)
            allowed.Add(null);
        for (int j = Math.Max(answered, 0); j < writes.Count && writes[j].Issued <= step.Index; j++)
            allowed.Add(writes[j].Bytes);
        return allowed;
    }

    /// <summary>A digest of <paramref name="allowed"/>, to tell steps with the same expectation apart from others.</summary>
    public static string KeyOf(List<byte[]?> allowed) =>
        string.Join(",", allowed.Select(a => a is null ? "none" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(a))));

    /// <summary>Whether <paramref name="read"/> (null: no file) is one of <paramref name="allowed"/>, byte for byte.</summary>
    public static bool IsAllowed(List<byte[]?> allowed, byte[]? read) =>
        allowed.Exists(a => a is null ? read is null : read is not null && read.AsSpan().SequenceEqual(a));
}
