using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// A Prometheus text file built as UTF-8 bytes: no string to encode at the end and no double to format (durations
/// are whole nanoseconds, written as seconds with nine decimals), since every metered call renders the whole file.
/// </summary>
internal sealed class PromText
{
    private readonly ArrayBufferWriter<byte> _bytes = new(8192);

    public ReadOnlySpan<byte> Bytes => _bytes.WrittenSpan;

    public PromText Append(ReadOnlySpan<byte> utf8)
    {
        _bytes.Write(utf8);
        return this;
    }

    public PromText Append(string text)
    {
        _bytes.Advance(Encoding.UTF8.GetBytes(text, _bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));
        return this;
    }

    public PromText Append(long value)
    {
        Utf8Formatter.TryFormat(value, _bytes.GetSpan(20), out int written);
        _bytes.Advance(written);
        return this;
    }

    /// <summary>Nanoseconds as seconds, exactly: 1500000 is "0.001500000".</summary>
    public PromText AppendSeconds(long nanoseconds)
    {
        Append(nanoseconds / 1_000_000_000).Append("."u8);
        Utf8Formatter.TryFormat(nanoseconds % 1_000_000_000, _bytes.GetSpan(9), out int written, new StandardFormat('D', 9));
        _bytes.Advance(written);
        return this;
    }
}
