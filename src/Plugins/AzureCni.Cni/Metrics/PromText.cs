using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// A Prometheus text file built as UTF-8 bytes: no string to encode at the end and no double to format (durations
/// are whole nanoseconds, written as seconds with nine decimals), since every metered call renders the whole file.
/// Its own buffer, not an ArrayBufferWriter: that one clears what it allocates and checks every append twice, which
/// was a fifth of a metered call's instructions. The buffer is rented from the shared pool the state's JSON writer
/// has already returned its arrays to, not a fresh 8 KB of heap the GC clears and the kernel faults in.
/// </summary>
internal sealed class PromText(int capacity = 4096) : IDisposable
{
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(capacity);
    private int _length;

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

    public int Length => _length;

    /// <summary>Appends a copy of what this text already holds at [start, start + length).</summary>
    public PromText AppendOwn(int start, int length)
    {
        var into = Room(length);
        _bytes.AsSpan(start, length).CopyTo(into);
        _length += length;
        return this;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
    }

    public PromText Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Room(utf8.Length));
        _length += utf8.Length;
        return this;
    }

    /// <summary>Our names and labels are ASCII, narrowed a vector at a time; anything else goes through the UTF-8 encoder.</summary>
    public PromText Append(string text)
    {
        var into = Room((text.Length + 1) * 3); // UTF-8's most bytes for these chars
        _length += Ascii.FromUtf16(text, into, out int written) == OperationStatus.Done ? written : Encoding.UTF8.GetBytes(text, into);
        return this;
    }

    public PromText Append(long value)
    {
        Utf8Formatter.TryFormat(value, Room(20), out int written);
        _length += written;
        return this;
    }

    /// <summary>Nanoseconds as seconds, exactly: 1500000 is "0.001500000".</summary>
    public PromText AppendSeconds(long nanoseconds)
    {
        Append(nanoseconds / 1_000_000_000).Append("."u8);
        Utf8Formatter.TryFormat(nanoseconds % 1_000_000_000, Room(9), out int written, new StandardFormat('D', 9));
        _length += written;
        return this;
    }

    // Called by every append: the common case inlined, the growth out of line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Room(int size)
    {
        if (_length + size > _bytes.Length)
            Grow(size);
        return _bytes.AsSpan(_length);
    }

    private void Grow(int size)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _length + size));
        _bytes.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = larger;
    }
}
