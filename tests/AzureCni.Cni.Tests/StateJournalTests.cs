using System.Text;
using AzureCni.Cni.Files;

namespace AzureCni.Cni.Tests;

/// <summary>
/// The journaled state write (<see cref="StateJournal"/>) against what a power cut can leave on disk. A cut is
/// simulated after the fact: the files are put in each state the kernel may have written back (the state file
/// empty, zero-filled, older than the journal; a journal slot torn) and the slots are marked as written in an earlier
/// boot, which is what a reader finds after the machine comes back.
/// </summary>
public sealed class StateJournalTests
{
    private static readonly LinuxFilePrimitives Files = new();

    private static byte[] Json(int n) => Encoding.UTF8.GetBytes($"{{\"version\":1,\"n\":{n},\"pad\":\"{new string('x', 300 + n)}\"}}");

    /// <summary>Writes as a store does: under the lock, with what it read as the previous content.</summary>
    private static void Write(string path, byte[] bytes, StateDurability durability = StateDurability.Durable)
    {
        using var held = StateLock.Acquire(path + ".lock", TimeSpan.FromSeconds(5), Files);
        Files.WriteState(path, Files.ReadState(path), bytes, durability);
    }

    /// <summary>The machine restarted: every slot on disk was written in another boot.</summary>
    private static void Reboot(string path)
    {
        using var journal = new FileStream(path + StateJournal.Suffix, FileMode.Open, FileAccess.ReadWrite);
        for (int i = 0; i < 2; i++)
        {
            var header = new byte[StateJournal.SlotHeaderSize];
            journal.Position = StateJournal.SlotOffset(i);
            if (journal.Read(header) != header.Length || header[0] == 0)
                continue;
            header.AsSpan(StateJournal.BootIdOffset, StateJournal.BootIdLength).Fill((byte)'f');
            BitConverter.TryWriteBytes(header.AsSpan(StateJournal.HeaderCrcOffset), StateJournal.Crc(header.AsSpan(0, StateJournal.HeaderCrcOffset)));
            journal.Position = StateJournal.SlotOffset(i);
            journal.Write(header);
        }
    }

    private static void TearNewestSlot(string path, byte[] newest)
    {
        using var journal = new FileStream(path + StateJournal.Suffix, FileMode.Open, FileAccess.ReadWrite);
        for (int i = 0; i < 2; i++)
        {
            var content = new byte[newest.Length];
            journal.Position = StateJournal.SlotOffset(i) + StateJournal.SlotHeaderSize;
            if (journal.Read(content) == content.Length && content.AsSpan().SequenceEqual(newest))
            {
                journal.Position = StateJournal.SlotOffset(i) + StateJournal.SlotHeaderSize + (newest.Length / 2);
                journal.Write(new byte[newest.Length - (newest.Length / 2)]);
                return;
            }
        }

        Assert.Fail("no slot holds the newest write");
    }

    /// <summary>A directory on a disk (/var/tmp, not $TMPDIR, which may be a tmpfs): where the journal is used.</summary>
    private sealed class DiskDir : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory("/var/tmp/azcni-journal-test-" + Guid.NewGuid().ToString("N")).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static string Text(byte[]? bytes) => bytes is null ? "(none)" : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void OnATmpfs_NothingIsJournaled()
    {
        if (FileStatus.FileSystemOf("/dev/shm") != FileStatus.TmpFileSystem)
            Assert.Fail("/dev/shm is not a tmpfs here");
        string dir = Directory.CreateDirectory("/dev/shm/azcni-journal-test-" + Guid.NewGuid().ToString("N")).FullName;
        try
        {
            string path = Path.Combine(dir, "azure-vnet.json");
            Write(path, Json(1));
            Write(path, Json(2), StateDurability.WriteAhead);
            Assert.Equal(Text(Json(2)), Text(Files.ReadState(path)));
            Assert.Equal(["azure-vnet.json", "azure-vnet.json.lock"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SameBoot_TheFileIsTheTruth_EvenWrittenByAWriterWithoutAJournal()
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet.json");
        Write(path, Json(1));
        Write(path, Json(2));
        Assert.Equal(Text(Json(2)), Text(Files.ReadState(path)));
        Assert.True(File.Exists(path + StateJournal.Suffix));

        Files.Replace(path, Json(3)); // an older version of the plugin, mid-upgrade
        Assert.Equal(Text(Json(3)), Text(Files.ReadState(path)));
        File.Delete(path); // an operator starting over
        Assert.Null(Files.ReadState(path));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("zero-filled")]
    [InlineData("half")]
    [InlineData("rename lost")]
    [InlineData("two renames lost")]
    public void AfterAPowerCut_AFileTheKernelDidNotWriteBack_IsReadFromTheJournal(string cut)
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet-ipam.json");
        Write(path, Json(1));
        Write(path, Json(2));
        Write(path, Json(3));

        switch (cut)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "zero-filled": File.WriteAllBytes(path, new byte[Json(3).Length]); break;
            case "half": File.WriteAllBytes(path, Json(3)[..(Json(3).Length / 2)]); break;
            case "rename lost": File.WriteAllBytes(path, Json(2)); break;
            case "two renames lost":
                File.WriteAllBytes(path, Json(1));
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-5));
                break;
        }

        Reboot(path);
        Assert.Equal(Text(Json(3)), Text(Files.ReadState(path)));
    }

    [Fact]
    public void AfterAPowerCut_AFileWrittenAfterTheJournal_WithoutOne_IsKept()
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet.json");
        Write(path, Json(1));
        Write(path, Json(2));
        Files.Replace(path, Json(7)); // a writer that keeps no journal, synced
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        Reboot(path);
        Assert.Equal(Text(Json(7)), Text(Files.ReadState(path)));
    }

    [Fact]
    public void AfterAPowerCut_ATornSlotFallsBackToTheWriteBefore_NeverToATornFile()
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet.json");
        Write(path, Json(1));
        Write(path, Json(2));
        Write(path, Json(3), StateDurability.WriteAhead); // the cut came before the kernel wrote any of it back
        TearNewestSlot(path, Json(3));
        File.WriteAllBytes(path, []);
        Reboot(path);
        Assert.Equal(Text(Json(2)), Text(Files.ReadState(path)));
    }

    [Fact]
    public void AfterAPowerCutThatLostTheSyncedNote_TheNextWriteKeepsTheDurableSlot_ThroughASecondCut()
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet.json");
        Write(path, Json(1));
        Write(path, Json(2)); // answered: its slot was fdatasynced

        // The note saying so is written unsynced after the fdatasync: the cut kept the slot and lost the note.
        using (var journal = new FileStream(path + StateJournal.Suffix, FileMode.Open, FileAccess.Write))
        {
            journal.Position = 8;
            journal.Write(BitConverter.GetBytes(1UL));
        }

        Reboot(path);
        Write(path, Json(3)); // the first call after the reboot; a second cut tears its slot
        TearNewestSlot(path, Json(3));
        File.WriteAllBytes(path, []);
        Reboot(path);
        Assert.Equal(Text(Json(2)), Text(Files.ReadState(path)));
    }

    [Fact]
    public void WriteAhead_ThenDurable_KeepsADurableCopyAtEveryStep()
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet.json");
        Write(path, Json(1));
        for (int round = 2; round < 8; round += 2)
        {
            // ADD's pattern: a write-ahead record, then the durable one; a cut between them falls back to the last durable.
            Write(path, Json(round), StateDurability.WriteAhead);
            string copy = Path.Combine(dir.Path, $"cut-{round}.json");
            File.Copy(path + StateJournal.Suffix, copy + StateJournal.Suffix);
            TearNewestSlot(copy, Json(round));
            File.WriteAllBytes(copy, []);
            Reboot(copy);
            Assert.Equal(Text(Json(round - 1)), Text(Files.ReadState(copy)));

            Write(path, Json(round + 1));
        }

        File.WriteAllBytes(path, []);
        Reboot(path);
        Assert.Equal(Text(Json(7)), Text(Files.ReadState(path)));
    }

    [Fact]
    public void AWriteAhead_IsNotFlushed_UnlessTheJournalDoesNotHoldWhatTheFileHolds()
    {
        using var dir = new DiskDir();
        string path = Path.Combine(dir.Path, "azure-vnet.json");
        Write(path, Json(1));
        Assert.Equal((1UL, 1UL), (Synced(path), NewestSequence(path)));
        Write(path, Json(2), StateDurability.WriteAhead);
        Assert.Equal((1UL, 2UL), (Synced(path), NewestSequence(path)));
        Write(path, Json(3));
        Assert.Equal((3UL, 3UL), (Synced(path), NewestSequence(path)));

        // After a writer without a journal, the older slot no longer holds what the file held: a write-ahead that a
        // cut could roll back to it would undo that writer's synced write, so it is flushed.
        Files.Replace(path, Json(5));
        Write(path, Json(6), StateDurability.WriteAhead);
        Assert.Equal((4UL, 4UL), (Synced(path), NewestSequence(path)));
    }

    private static ulong Synced(string path) => BitConverter.ToUInt64(File.ReadAllBytes(path + StateJournal.Suffix).AsSpan(8, 8));

    private static ulong NewestSequence(string path)
    {
        byte[] journal = File.ReadAllBytes(path + StateJournal.Suffix);
        ulong newest = 0;
        for (int i = 0; i < 2; i++)
        {
            long offset = StateJournal.SlotOffset(i) + 8;
            if (offset + 8 <= journal.Length)
                newest = Math.Max(newest, BitConverter.ToUInt64(journal.AsSpan((int)offset, 8)));
        }

        return newest;
    }
}
