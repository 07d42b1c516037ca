using System.Diagnostics;
using System.Text;
using AzureCni.Cni.Files;

namespace AzureCni.Cni.Tests;

/// <summary>
/// Both implementations of the state and log primitives, on Linux: the Windows one uses only managed file APIs,
/// which behave the same here (.NET emulates FileShare.None with flock), so it is injected and held to the same contract.
/// </summary>
public sealed class FilePrimitivesTests
{
    public static TheoryData<string> Implementations => ["linux", "windows"];

    private static IFilePrimitives Create(string name) => name == "linux" ? new LinuxFilePrimitives() : new WindowsFilePrimitives();

    // Sizes around the read buffers (4 KiB on the stack, then 16 KiB doubled): every byte comes back, in order.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(100_000)]
    public void ReadOrNull_ReturnsTheWholeFile(int size)
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "file");
        byte[] content = new byte[size];
        new Random(size).NextBytes(content);
        File.WriteAllBytes(path, content);

        Assert.Equal(content, new LinuxFilePrimitives().ReadOrNull(path));
        Assert.Null(new LinuxFilePrimitives().ReadOrNull(path + ".missing"));
    }

    [Fact]
    public void CurrentIsTheLinuxImplementationHere() => Assert.IsType<LinuxFilePrimitives>(FilePrimitives.Current);

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Lock_IsExclusive_TimesOutWithCode11_AndIsFreedOnDispose(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "sub", "azure-vnet.lock");

        var held = StateLock.Acquire(path, TimeSpan.FromSeconds(1), files);
        Assert.Null(StateLock.TryAcquire(path, files));
        var error = Assert.Throws<CniException>(() => StateLock.Acquire(path, TimeSpan.FromMilliseconds(50), files));
        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);

        held.Dispose();
        using var again = StateLock.TryAcquire(path, files);
        Assert.NotNull(again);
        Assert.True(File.Exists(path)); // never deleted
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Lock_HeldByAnotherProcess_IsRefused_AndFreedWhenThatProcessDies(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet-ipam.lock");

        // flock(1) takes LOCK_EX on the file and holds it (-o: only itself, not its child) while the child says so
        // and waits for its stdin to close.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-o", path, "sh", "-c", "echo locked; cat >/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
            Assert.Null(files.TryLock(path));
            Assert.Equal(CniErrorCode.TryAgainLater,
                Assert.Throws<CniException>(() => StateLock.Acquire(path, TimeSpan.FromMilliseconds(50), files)).Code);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        using var after = StateLock.Acquire(path, TimeSpan.FromSeconds(5), files);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Lock_FileCannotBeCreated_IsAnIoFailure(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string notADirectory = Path.Combine(dir.Path, "file");
        File.WriteAllText(notADirectory, "x");

        var error = Assert.Throws<CniException>(() => StateLock.Acquire(Path.Combine(notADirectory, "x.lock"), TimeSpan.FromMilliseconds(50), files));
        Assert.Equal(CniErrorCode.IOFailure, error.Code);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void ReadOrNull_MissingFileOrDirectory_IsNull(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        Assert.Null(files.ReadOrNull(Path.Combine(dir.Path, "azure-vnet.json")));
        Assert.Null(files.ReadOrNull(Path.Combine(dir.Path, "missing", "azure-vnet.json")));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Replace_CreatesTheDirectory_ReplacesWholly_AndOverwritesATempFileAKilledWriterLeft(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "state", "azure-vnet.json");

        files.Replace(path, new byte[100_000]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", "torn half of a state fi"); // a writer killed mid-write
        files.Replace(path, "{\"version\":1}"u8);

        Assert.Equal("{\"version\":1}", Encoding.UTF8.GetString(files.ReadOrNull(path)!));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(["azure-vnet.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void ReplaceUnsynced_AReaderOfTheOldFileReadsItWholeAfterTwoReplaces_AndTheCollectorSeesOneFile(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet.prom");
        files.ReplaceUnsynced(path, "old\n"u8);

        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        files.ReplaceUnsynced(path, "newer\n"u8);
        files.ReplaceUnsynced(path, "newest\n"u8);

        // The first replace swapped the old file out; the second found it still open and wrote a new file instead.
        Assert.Equal("old\n", new StreamReader(reader).ReadToEnd());
        Assert.Equal("newest\n", File.ReadAllText(path));
        Assert.Equal(["azure-vnet.prom"], Directory.GetFiles(dir.Path, "*.prom").Select(Path.GetFileName));
    }

    [Fact]
    public void ReplaceUnsynced_RewritesTheSwappedOutFile_OnlyWhenNoOneHasItOpen()
    {
        var files = new LinuxFilePrimitives();
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet.prom");
        string peek = Path.Combine(dir.Path, "peek");
        files.ReplaceUnsynced(path, "first, longer than the rest\n"u8);
        files.ReplaceUnsynced(path, "second\n"u8);

        // A second name for the file swapped out (a link, not an open: it does not stand in the lease's way).
        HardLink(path + ".tmp", peek);
        files.ReplaceUnsynced(path, "third\n"u8);
        Assert.Equal("third\n", File.ReadAllText(peek)); // rewritten in place (and cut to its new length), then swapped back in
        Assert.Equal("third\n", File.ReadAllText(path));

        File.Delete(peek);
        HardLink(path + ".tmp", peek);
        using (var reader = new FileStream(peek, FileMode.Open, FileAccess.Read))
        {
            files.ReplaceUnsynced(path, "fourth\n"u8);
            Assert.Equal("second\n", new StreamReader(reader).ReadToEnd()); // held open: left alone
        }

        Assert.Equal("fourth\n", File.ReadAllText(path));
    }

    // ReplaceUnsynced holds a write lease on its temp file while it rewrites it; another open breaks the lease, and the
    // kernel signals the holder. With SIGIO (the default) this process would be terminated; with F_SETSIG SIGURG it
    // lives, and the opener gets the file once the lease is given up.
    [Fact]
    public void ALeaseBrokenByAnotherOpen_IsSignalledWithSigurg_WhichTheHolderSurvives()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet.prom.tmp");
        File.WriteAllText(path, "spare\n");
        Process reader;
        using (var fd = SafeFd.Open(path, Interop.Libc.O_WRONLY))
        {
            Assert.Equal(0, Interop.Libc.fcntl(fd.Fd, Interop.Libc.F_SETSIG, Interop.Libc.SIGURG));
            Assert.Equal(0, Interop.Libc.fcntl(fd.Fd, Interop.Libc.F_SETLEASE, Interop.Libc.F_WRLCK));
            reader = Process.Start(new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true })!;
            Assert.False(reader.WaitForExit(500)); // its open waits for the lease
        }

        using (reader)
        {
            Assert.Equal("spare\n", reader.StandardOutput.ReadToEnd());
            Assert.True(reader.WaitForExit(10_000));
        }
    }

    private static void HardLink(string target, string name)
    {
        using var ln = Process.Start("ln", [target, name])!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    [Theory]
    [InlineData("linux", false)]
    [InlineData("linux", true)]
    [InlineData("windows", false)]
    [InlineData("windows", true)]
    public void Replace_ConcurrentReadersSeeTheOldOrTheNewContent_NeverAMix(string implementation, bool unsynced)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet-ipam.json");
        byte[] a = Enumerable.Repeat((byte)'a', 64 * 1024).ToArray();
        byte[] b = Enumerable.Repeat((byte)'b', 100 * 1024 + 7).ToArray();
        files.Replace(path, a);

        const int Readers = 3;
        int done = 0;
        int reads = 0;
        var torn = new List<string>();
        using var started = new CountdownEvent(Readers);
        // Dedicated threads, not the (possibly busy) pool: the readers must really run while the writer does.
        var readers = Enumerable.Range(0, Readers).Select(_ => new Thread(() =>
        {
            started.Signal();
            while (Volatile.Read(ref done) == 0)
            {
                byte[]? seen = files.ReadOrNull(path);
                Interlocked.Increment(ref reads);
                if (seen is null || !(seen.AsSpan().SequenceEqual(a) || seen.AsSpan().SequenceEqual(b)))
                {
                    lock (torn)
                        torn.Add(seen is null ? "missing" : $"{seen.Length} bytes");
                }
            }
        })).ToArray();
        foreach (var reader in readers)
            reader.Start();
        started.Wait();

        // At least 300 replaces, and on until the readers have read 300 times (bounded, in case they starve).
        for (int i = 0; i < 300 || (Volatile.Read(ref reads) < 300 && i < 100_000); i++)
        {
            using var held = StateLock.Acquire(path + ".lock", TimeSpan.FromSeconds(5), files);
            if (unsynced)
                files.ReplaceUnsynced(path, i % 2 == 0 ? b : a);
            else
                files.Replace(path, i % 2 == 0 ? b : a);
        }

        Volatile.Write(ref done, 1);
        foreach (var reader in readers)
            reader.Join();
        Assert.Empty(torn);
        Assert.True(reads >= 300, $"{reads} reads");
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Append_ConcurrentWritersEachWithTheirOwnHandle_LoseAndMixNoLine(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet.log");
        const int Writers = 6;
        const int Lines = 200;

        // A handle per writer, as separate plugin processes have.
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            using IAppendLog log = files.OpenLog(path, 100 * 1024 * 1024, 3);
            for (int i = 0; i < Lines; i++)
                log.Append(Encoding.UTF8.GetBytes($"writer={w} line={i} {new string('x', 100 + (i % 50))}\n"));
        });

        string[] written = File.ReadAllLines(path);
        Assert.Equal(Writers * Lines, written.Length);
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, Lines)
            .Select(i => $"writer={w} line={i} {new string('x', 100 + (i % 50))}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, written.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(path + ".1"));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Append_RollsAtTheSizeLimit_KeepingTheNewestLinesInOrderAndNFiles(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet-ipam.log");
        const int Limit = 1000;
        const int Retained = 3;

        using (IAppendLog log = files.OpenLog(path, Limit, Retained))
        {
            for (int i = 0; i < 200; i++)
                log.Append(Encoding.UTF8.GetBytes($"line {i:D4} {new string('y', 40)}\n"));
        }

        string[] kept = [.. Enumerable.Range(0, Retained + 1).Select(n => n == 0 ? path : $"{path}.{n}")];
        Assert.All(kept, f => Assert.True(File.Exists(f), f));
        Assert.False(File.Exists($"{path}.{Retained + 1}"));
        Assert.All(kept, f => Assert.InRange(new FileInfo(f).Length, 1, Limit + 51));

        // Oldest file first: the lines run on without a gap and end with the last one written.
        int[] numbers = [.. kept.Reverse().SelectMany(File.ReadAllLines).Select(l => int.Parse(l.AsSpan(5, 4), System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(199, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Length), numbers);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Append_ConcurrentWritersWhileRolling_WriteOnlyWholeLinesAndKeepNFiles(string implementation)
    {
        var files = Create(implementation);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "azure-vnet.log");

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            using IAppendLog log = files.OpenLog(path, 4096, 2);
            for (int i = 0; i < 300; i++)
                log.Append(Encoding.UTF8.GetBytes($"w{w} i{i:D3} {new string('z', 60)}\n"));
        });

        Assert.False(File.Exists(path + ".3"));
        foreach (string file in new[] { path, path + ".1", path + ".2" })
        {
            Assert.True(File.Exists(file), file);
            Assert.All(File.ReadAllLines(file), l => Assert.Matches("^w[0-3] i[0-9]{3} z{60}$", l));
        }
    }

    [Fact]
    public void CniLog_ThroughTheWindowsPrimitives_WritesOneLinePerEvent()
    {
        using var dir = new TempDir();
        var environment = new Dictionary<string, string> { [PluginPaths.LogDirVariable] = dir.Path };
        using (var logger = Logging.CniLog.Create("azure-vnet", environment, debug: false, new WindowsFilePrimitives()))
        {
            Serilog.ILogger log = logger;
            log.Information("first {N}", 1);
            log.Information("second {N}", 2);
        }

        string[] lines = File.ReadAllLines(Path.Combine(dir.Path, "azure-vnet.log"));
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("first 1", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("second 2", lines[1], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "azure-vnet.log.lock")));
    }

    [Fact]
    public void Paths_DefaultToTheLinuxLayout_AndHonourTheOverrides()
    {
        var none = new Dictionary<string, string>();
        Assert.Equal("/var/run", PluginPaths.StateDir(none));
        Assert.Equal("/var/log", PluginPaths.LogDir(none));
        Assert.Equal("/var/log/azure-vnet.log", PluginPaths.LogFile(PluginPaths.LogDir(none), "azure-vnet"));
        Assert.Equal("azure-vnet-ipam.json", PluginPaths.StateFileName("azure-vnet-ipam"));
        Assert.Equal("azure-vnet-ipam.lock", PluginPaths.LockFileName("azure-vnet-ipam"));
        Assert.Equal(@"C:\k", PluginPaths.WindowsDir);

        var set = new Dictionary<string, string> { [PluginPaths.StateDirVariable] = "/tmp/s", [PluginPaths.LogDirVariable] = "/tmp/l" };
        Assert.Equal("/tmp/s", PluginPaths.StateDir(set));
        Assert.Equal("/tmp/l", PluginPaths.LogDir(set));
        var empty = new Dictionary<string, string> { [PluginPaths.StateDirVariable] = "", [PluginPaths.LogDirVariable] = "" };
        Assert.Equal("/var/run", PluginPaths.StateDir(empty));
        Assert.Equal("/var/log", PluginPaths.LogDir(empty));
    }
}
