using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// A Prometheus text file built as UTF-8 bytes: no string to encode at the end and no double to format (durations
/// are whole nanoseconds, written as seconds with nine decimals), since every metered call renders the whole file.
/// Its own buffer, not an ArrayBufferWriter: that one clears what it allocates and checks every append twice, which
/// was a fifth of a metered call's instructions.
/// </summary>
internal sealed class PromText(int capacity = 8192)
{
    private byte[] _bytes = GC.AllocateUninitializedArray<byte>(capacity);
    private int _length;

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

    public PromText Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Room(utf8.Length));
        _length += utf8.Length;
        return this;
    }

    /// <summary>Our names and labels are ASCII, copied a char a byte; anything else goes through the UTF-8 encoder.</summary>
    public PromText Append(string text)
    {
        var into = Room((text.Length + 1) * 3); // UTF-8's most bytes for these chars
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7F)
            {
                _length += Encoding.UTF8.GetBytes(text, into);
                return this;
            }

            into[i] = (byte)text[i];
        }

        _length += text.Length;
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

    private Span<byte> Room(int size)
    {
        if (_length + size > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + size));
        return _bytes.AsSpan(_length);
    }
}
