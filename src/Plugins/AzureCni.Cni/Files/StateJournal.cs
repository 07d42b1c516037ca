using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AzureCni.Cni.Files;

/// <summary>
/// PATH.journal, beside a state file: what lets a state write be crash-safe with one fdatasync(2) and no fsync of
/// the directory (docs/design.md, "State on disk"). The journal holds two slots, each a whole copy of the state file
/// as one write left it (length, sequence, CRC-32C, the boot it was written in); a write goes to the slot that is
/// not the last durable one, is fdatasynced when durable, and only then is the state file itself replaced by rename,
/// unsynced. While the machine stays up the state file (the page cache) is the truth, readers read it as before; after
/// a reboot a state file that the power cut left empty, torn, or older than the journal is taken from the journal.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class StateJournal
{
    public const string Suffix = ".journal";

    private const ulong FileMagic = 0x4C4E4A494E435A41; // "AZCNIJNL"
    private const uint SlotMagic = 0x31544C53; // "SLT1"
    private const int FileHeaderSize = 16; // magic, the highest sequence known fdatasynced
    internal const long FirstSlot = 4096;

    /// <summary>
    /// The distance between the two slots (the gap is a hole, which costs no disk). A node's state is tens of KB; a
    /// larger one is written the classic way (data, rename and directory all fsynced).
    /// </summary>
    public const long SlotStride = 1L << 20;

    internal const int SlotHeaderSize = 80;
    internal const int BootIdOffset = 40;
    internal const int BootIdLength = 36;
    internal const int HeaderCrcOffset = 76;

    /// <summary>One slot's header; <see cref="Valid"/> once its content was read and matched its CRC.</summary>
    private struct Slot
    {
        public int Index;
        public bool HeaderOk;
        public bool Valid;
        public uint Length;
        public ulong Sequence;
        public uint Crc;
        public uint PreviousCrc;
        public uint PreviousLength;
        public long WrittenUnixNs;
        public byte[] Boot;
        public byte[]? Content;
    }

    /// <summary>
    /// The state file's bytes (null when it does not exist), or, after a reboot that left it empty, torn or older than
    /// the journal's last write, the journal's copy.
    /// </summary>
    public static byte[]? Read(string path, byte[]? current)
    {
        if (current is null)
            return null;

        string journalPath = path + Suffix;
        if (SafeFd.OpenOrNullIfMissing(journalPath, Interop.Libc.O_RDONLY) is not { } journal)
            return current;

        using (journal)
        {
            var slots = ReadSlots(journal, journalPath, withContent: false);
            if (Newest(slots, headerOnly: true) is not { } newest)
                return current;

            // Same boot: the page cache holds every rename whole, so the file is the truth (a writer that knows no
            // journal, an older version mid-upgrade or an operator, included).
            if (Matches(newest, current) || newest.Boot.AsSpan().SequenceEqual(BootId()))
                return current;

            return Recover(journal, path, current);
        }
    }

    // After a reboot: which of the file and the journal holds the last write.
    private static byte[] Recover(SafeFd journal, string path, byte[] current)
    {
        var slots = ReadSlots(journal, path + Suffix, withContent: true);
        if (Newest(slots, headerOnly: false) is not { } newest)
            return current;
        if (Matches(newest, current))
            return current;

        bool stale = Array.Exists(slots, s => s.Valid && s.Index != newest.Index && Matches(s, current))
            || (newest.PreviousLength == current.Length && newest.PreviousCrc == Crc(current));
        if (stale || !LooksWhole(current))
            return newest.Content!;

        // Whole and unknown to the journal: written after it (by a writer that keeps no journal) or before it (a
        // rename of ours that the power cut lost). The file's time tells which.
        long modifiedNs = (File.GetLastWriteTimeUtc(path) - DateTime.UnixEpoch).Ticks * 100;
        return modifiedNs > newest.WrittenUnixNs ? current : newest.Content!;
    }

    /// <summary>
    /// Replaces the state file; call with its lock held. <paramref name="previous"/> is what the caller read under that
    /// lock (null: no file, or not known). Durable: the journal slot is fdatasynced before the rename (one fdatasync).
    /// Write-ahead: nothing is synced, and a power cut may take the write back, never tear the file; it falls back to
    /// durable when the journal does not hold what the file holds.
    /// </summary>
    public static void Write(string path, byte[]? previous, ReadOnlySpan<byte> bytes, bool durable, Action<string, ReadOnlySpan<byte>> replaceSynced)
    {
        if (bytes.Length > SlotStride - SlotHeaderSize)
        {
            replaceSynced(path, bytes);
            return;
        }

        string directory = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        string journalPath = path + Suffix;
        using var journal = SafeFd.Open(journalPath, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT, LinuxFilePrimitives.OwnerOnly);
        ulong synced = ReadSyncedOrCreate(journal, journalPath, directory);
        var slots = ReadSlots(journal, journalPath, withContent: true);
        var newest = Newest(slots, headerOnly: false);

        // The slot this write may overwrite is never the one a power cut now would fall back to: the newest when it
        // was never synced (a write-ahead of this or another call: the older slot is durable), else the other.
        int target;
        if (newest is not { } last)
        {
            target = 0;
            durable = true; // nothing to fall back to
        }
        else if (last.Sequence > synced && slots[1 - last.Index].Valid)
        {
            target = last.Index;
        }
        else
        {
            if (last.Sequence > synced)
                Sync(journal, journalPath, last.Sequence); // no durable older copy: make the newest one durable first
            target = 1 - last.Index;
        }

        if (!durable && (previous is null || newest is not { } known || !Matches(known, previous)))
            durable = true; // the journal does not hold what the file holds (a writer without one): no write-ahead

        ulong sequence = (newest?.Sequence ?? synced) + 1;
        WriteSlot(journal, journalPath, target, sequence, bytes, previous);
        if (durable)
            Sync(journal, journalPath, sequence);

        LinuxFilePrimitives.RenameInto(path, bytes);
        if (previous is null)
            SyncDirectory(directory); // a new name: its directory entry must outlive a power cut too
    }

    /// <summary>A JSON document written whole: a torn or zero-filled one (what a power cut leaves of an unsynced write) is not.</summary>
    public static bool LooksWhole(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.Trim(" \t\r\n"u8);
        return trimmed.Length >= 2 && trimmed[0] == (byte)'{' && trimmed[^1] == (byte)'}' && !trimmed.Contains((byte)0);
    }

    public static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (ulong word in words)
            crc = BitOperations.Crc32C(crc, word);
        foreach (byte b in bytes[(words.Length * 8)..])
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    private static bool Matches(Slot slot, byte[] bytes) => slot.Length == bytes.Length && slot.Crc == Crc(bytes);

    private static Slot? Newest(Slot[] slots, bool headerOnly)
    {
        Slot? newest = null;
        foreach (var slot in slots)
        {
            if ((headerOnly ? slot.HeaderOk : slot.Valid) && (newest is null || slot.Sequence > newest.Value.Sequence))
                newest = slot;
        }

        return newest;
    }

    internal static long SlotOffset(int index) => FirstSlot + (index * SlotStride);

    private static unsafe Slot[] ReadSlots(SafeFd journal, string journalPath, bool withContent)
    {
        var slots = new Slot[2];
        Span<byte> header = stackalloc byte[SlotHeaderSize];
        for (int i = 0; i < 2; i++)
        {
            slots[i] = new Slot { Index = i, Boot = [] };
            if (journal.ReadAt(header, SlotOffset(i), journalPath) != SlotHeaderSize)
                continue;

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != SlotMagic
                || BinaryPrimitives.ReadUInt32LittleEndian(header[HeaderCrcOffset..]) != Crc(header[..HeaderCrcOffset])
                || length > SlotStride - SlotHeaderSize)
                continue;

            slots[i] = new Slot
            {
                Index = i, HeaderOk = true, Length = length,
                Sequence = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]),
                Crc = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]),
                PreviousCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]),
                PreviousLength = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]),
                WrittenUnixNs = BinaryPrimitives.ReadInt64LittleEndian(header[32..]),
                Boot = header.Slice(BootIdOffset, BootIdLength).ToArray(),
            };
            if (!withContent)
                continue;

            var content = new byte[length];
            if (journal.ReadAt(content, SlotOffset(i) + SlotHeaderSize, journalPath) == length && Crc(content) == slots[i].Crc)
            {
                slots[i].Content = content;
                slots[i].Valid = true;
            }
        }

        return slots;
    }

    private static void WriteSlot(SafeFd journal, string journalPath, int index, ulong sequence, ReadOnlySpan<byte> bytes, byte[]? previous)
    {
        // Header and content in one pwrite: the CRCs tell a torn one.
        var slot = new byte[SlotHeaderSize + bytes.Length];
        var header = slot.AsSpan(0, SlotHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, SlotMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)bytes.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Crc(bytes));
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], previous is null ? 0 : Crc(previous));
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], previous is null ? uint.MaxValue : (uint)previous.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100);
        BootId().CopyTo(header[BootIdOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[HeaderCrcOffset..], Crc(header[..HeaderCrcOffset]));
        bytes.CopyTo(slot.AsSpan(SlotHeaderSize));
        journal.WriteAllAt(slot, SlotOffset(index), journalPath);
    }

    private static ulong ReadSyncedOrCreate(SafeFd journal, string journalPath, string directory)
    {
        Span<byte> header = stackalloc byte[FileHeaderSize];
        if (journal.ReadAt(header, 0, journalPath) == FileHeaderSize && BinaryPrimitives.ReadUInt64LittleEndian(header) == FileMagic)
            return BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);

        // A new journal (or one whose first write a crash cut short): made durable, name included, once.
        BinaryPrimitives.WriteUInt64LittleEndian(header, FileMagic);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], 0);
        journal.WriteAllAt(header, 0, journalPath);
        journal.Sync(journalPath);
        SyncDirectory(directory);
        return 0;
    }

    // fdatasync, then the note that this sequence is durable (itself unsynced: after a reboot every slot on disk is).
    private static void Sync(SafeFd journal, string journalPath, ulong sequence)
    {
        if (Interop.Libc.fdatasync(journal.Fd) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fdatasync {journalPath}: {Interop.Libc.ErrorText(errno)}", errno);
        }

        Span<byte> note = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(note, sequence);
        journal.WriteAllAt(note, 8, journalPath);
    }

    internal static void SyncDirectory(string directory)
    {
        using var dir = SafeFd.Open(directory, Interop.Libc.O_RDONLY | Interop.Libc.O_DIRECTORY);
        dir.Sync(directory);
    }

    /// <summary>This boot's /proc/sys/kernel/random/boot_id (36 characters); zeros where there is none.</summary>
    private static byte[] BootId()
    {
        var id = new byte[BootIdLength];
        try
        {
            using var fd = SafeFd.Open("/proc/sys/kernel/random/boot_id", Interop.Libc.O_RDONLY);
            fd.ReadAll("boot_id").AsSpan(0, BootIdLength).CopyTo(id);
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
        }

        return id;
    }

}
