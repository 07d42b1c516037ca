using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Runtime.InteropServices;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// What the metrics of one plugin count, kept in binary beside the .prom (in its lock file): each call reads it,
/// adds itself and writes it back under the lock, and renders the .prom from it, so no call parses the text file.
/// Layout, little-endian: magic "ACM1", payload length, a 64-bit checksum of the payload, then the payload: the call series
/// (u16 count; each: command, i32 code, i64 count), the histograms (u16 count; each: command, i64 count, i64 sum in
/// nanoseconds, i64 per bucket bound) and the last pool figures (u16 count; each: subnet, i32 total, in use, free).
/// A text is a u8 length and printable ASCII. Bytes that do not check out (an empty new file, what a power cut left
/// of an unsynced write) are no record: the caller starts from the .prom instead.
/// </summary>
internal static class CountersRecord
{
    private const uint Magic = 0x314D4341; // "ACM1"
    public const int HeaderSize = 16;

    /// <summary>The most entries a record's list may hold (call series, histograms, pools).</summary>
    public const int MaxCount = 1024;

    /// <summary>The whole record's length as its header states it, or 0 when <paramref name="start"/> is not the start of one.</summary>
    public static int LengthOf(ReadOnlySpan<byte> start) =>
        start.Length >= HeaderSize && BinaryPrimitives.ReadUInt32LittleEndian(start) == Magic
        && BinaryPrimitives.ReadUInt32LittleEndian(start[4..]) is var length && length <= int.MaxValue - HeaderSize
            ? HeaderSize + (int)length
            : 0;

    /// <summary>The counters and pools of a whole record; false when the bytes are not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> record, out CallCounters counters, out PoolGauge[] pools)
    {
        counters = new CallCounters();
        pools = [];
        int length = LengthOf(record);
        if (length == 0 || record.Length < length)
            return false;
        var payload = record[HeaderSize..length];
        if (BinaryPrimitives.ReadUInt64LittleEndian(record[8..]) != Checksum(payload))
            return false;

        var reader = new Reader(payload);
        counters.Load(ref reader);
        pools = new PoolGauge[reader.Count()];
        for (int i = 0; i < pools.Length; i++)
            pools[i] = new PoolGauge(reader.Text(), reader.Int32(), reader.Int32(), reader.Int32());
        return !reader.Failed && reader.AtEnd;
    }

    /// <summary>The finished record, in a pooled buffer its disposal returns.</summary>
    public static Writer Write(CallCounters counters, PoolGauge[] pools)
    {
        var writer = new Writer();
        counters.Save(writer);
        writer.Count(pools.Length);
        foreach (var pool in pools)
            writer.Text(pool.Subnet).Int32(pool.Total).Int32(pool.InUse).Int32(pool.Free);
        writer.Finish();
        return writer;
    }

    /// <summary>Reads a payload front to back; past its end (or at a bad text) it fails and reads zeros.</summary>
    internal ref struct Reader(ReadOnlySpan<byte> payload)
    {
        private ReadOnlySpan<byte> _rest = payload;

        public bool Failed { get; private set; }

        public readonly bool AtEnd => _rest.IsEmpty;

        /// <summary>A list's length; past <see cref="MaxCount"/> it fails: no node has that many series, and reading them
        /// one by one into ordered lists would be quadratic.</summary>
        public int Count()
        {
            int count = BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
            Failed |= count > MaxCount;
            return Failed ? 0 : count;
        }

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string Text()
        {
            var text = Take(Take(1)[0]);
            foreach (byte b in text)
                Failed |= !IsLabelSafe((char)b);
            return Failed ? "" : Encoding.ASCII.GetString(text);
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (Failed || _rest.Length < length)
            {
                Failed = true;
                return new byte[length];
            }

            var taken = _rest[..length];
            _rest = _rest[length..];
            return taken;
        }
    }

    /// <summary>Writes the header of <paramref name="record"/>, whose payload follows its first <see cref="HeaderSize"/> bytes.</summary>
    internal static void Seal(Span<byte> record)
    {
        var payload = record[HeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record[8..], Checksum(payload));
    }

    // FNV-1a over 64-bit words (the tail's bytes as one more word): it tells a record from zeros or a torn block, what a
    // power cut leaves of an unsynced write. Not CRC-32C, whose table this build computes at run time (CPUs before
    // SSE4.2 are targeted): ~20 K instructions a call, a seventh of what metrics cost.
    private static ulong Checksum(ReadOnlySpan<byte> payload)
    {
        const ulong Prime = 0x100000001B3;
        ulong hash = 0xCBF29CE484222325;
        var words = MemoryMarshal.Cast<byte, ulong>(payload);
        foreach (ulong word in words)
            hash = (hash ^ word) * Prime;
        ulong tail = 0;
        foreach (byte b in payload[(words.Length * 8)..])
            tail = (tail << 8) | b;
        return (hash ^ tail ^ (ulong)payload.Length) * Prime;
    }

    // Texts are printed into label values as they are: printable ASCII with nothing that would need escaping.
    private static bool IsLabelSafe(char c) => c is >= ' ' and <= '~' and not '"' and not '\\';

    /// <summary>
    /// Builds a record in an array rented from the shared pool, of the size the .prom text rents next: the array the
    /// state's JSON writer returned there serves both, and no new heap is touched (each new 8 KB the GC hands out
    /// is a fresh page for the kernel to fault in, a visible part of a metered call's cost).
    /// </summary>
    internal sealed class Writer : IDisposable
    {
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(4096);
        private int _length = HeaderSize;

        public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

        public Writer Count(int count)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(Next(2), checked((ushort)count));
            return this;
        }

        public Writer Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(Next(4), value);
            return this;
        }

        public Writer Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Next(8), value);
            return this;
        }

        public Writer Text(string text)
        {
            foreach (char c in text)
            {
                if (!IsLabelSafe(c) || text.Length > byte.MaxValue)
                    throw new FormatException($"'{text}' cannot be stored in the metrics record");
            }

            Next(1)[0] = (byte)text.Length;
            Encoding.ASCII.GetBytes(text, Next(text.Length));
            return this;
        }

        public void Finish() => Seal(_bytes.AsSpan(0, _length));

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }

        private Span<byte> Next(int size)
        {
            if (_length + size > _bytes.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _length + size));
                _bytes.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = larger;
            }

            var next = _bytes.AsSpan(_length, size);
            _length += size;
            return next;
        }
    }
}
