using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace AzureCni.Json;

/// <summary>
/// A JSON string encoder that escapes only what RFC 8259 requires: <c>"</c>, <c>\</c> and control
/// characters below U+0020. Everything else, non-ASCII included, is written as is.
/// </summary>
/// <remarks>
/// Every <see cref="System.Text.Json.Utf8JsonWriter"/> in the plugins uses this encoder: the default one
/// builds allow-lists for all 65 536 code points in its static constructor, about a million instructions
/// at start-up (docs: startup-performance.md §3). Invalid UTF-8 or lone surrogates are reported as
/// "needs encoding" so the writer replaces them with U+FFFD instead of emitting broken text.
/// </remarks>
public sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static MinimalJsonEncoder Instance { get; } = new();

    // Bytes that need a closer look: control characters, '"', '\' and every non-ASCII byte.
    private static readonly SearchValues<byte> s_interestingBytes = SearchValues.Create(BuildInterestingBytes());

    private MinimalJsonEncoder()
    {
    }

    // "\uXXXX" is the longest escape.
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (int i = 0; i < textLength; i++)
        {
            char c = text[i];
            if (c < 0x20 || c == '"' || c == '\\')
                return i;
            if (char.IsSurrogate(c))
            {
                // A well-formed pair passes; a lone surrogate is handed to the encoder to be replaced.
                if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int offset = 0;
        while (true)
        {
            int index = utf8Text.Slice(offset).IndexOfAny(s_interestingBytes);
            if (index < 0)
                return -1;
            offset += index;
            byte b = utf8Text[offset];
            if (b < 0x80)
                return offset;
            if (Rune.DecodeFromUtf8(utf8Text.Slice(offset), out _, out int consumed) != OperationStatus.Done)
                return offset;
            offset += consumed;
        }
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        Span<char> destination = new(buffer, bufferLength);
        numberOfCharactersWritten = 0;
        if (WillEncode(unicodeScalar))
        {
            Span<char> escape = stackalloc char[6];
            int length = WriteEscape((char)unicodeScalar, escape);
            if (!escape.Slice(0, length).TryCopyTo(destination))
                return false;
            numberOfCharactersWritten = length;
            return true;
        }

        // Not ours to escape: write the scalar itself.
        return new Rune(unicodeScalar).TryEncodeToUtf16(destination, out numberOfCharactersWritten);
    }

    /// <summary>
    /// Escapes UTF-16 text. Lone surrogates become U+FFFD. The input is always treated as complete
    /// (the JSON writer hands over whole strings), so a trailing high surrogate is replaced rather than
    /// reported as NeedMoreData, which the writer would turn into an exception.
    /// </summary>
    public override OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten, bool isFinalBlock = true)
        => Escape<char, Utf16Units>(source, destination, out charsConsumed, out charsWritten);

    /// <summary>
    /// Escapes UTF-8 text. Invalid or truncated sequences become U+FFFD (one per maximal invalid
    /// subsequence, as the Unicode standard recommends); the input is always treated as complete.
    /// </summary>
    public override OperationStatus EncodeUtf8(ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock = true)
        => Escape<byte, Utf8Units>(utf8Source, utf8Destination, out bytesConsumed, out bytesWritten);

    // The one escaping loop of both encodings: each step copies what the next unit (or pair, or sequence) becomes;
    // a destination too small stops before the unit, so the writer can retry with a larger buffer.
    private static OperationStatus Escape<T, TUnits>(ReadOnlySpan<T> source, Span<T> destination, out int consumed, out int written)
        where T : unmanaged
        where TUnits : IEscapeUnits<T>
    {
        int read = 0;
        int wrote = 0;
        var status = OperationStatus.Done;
        Span<T> scratch = stackalloc T[6];
        while (read < source.Length)
        {
            ReadOnlySpan<T> output = TUnits.Next(source.Slice(read), scratch, out int units);
            if (!output.TryCopyTo(destination.Slice(wrote)))
            {
                status = OperationStatus.DestinationTooSmall;
                break;
            }
            read += units;
            wrote += output.Length;
        }

        consumed = read;
        written = wrote;
        return status;
    }

    // What the unit at the front of the text becomes: its JSON escape (written to scratch), itself, or U+FFFD.
    private interface IEscapeUnits<T>
    {
        static abstract ReadOnlySpan<T> Next(ReadOnlySpan<T> source, Span<T> scratch, out int consumed);
    }

    private readonly struct Utf16Units : IEscapeUnits<char>
    {
        public static ReadOnlySpan<char> Next(ReadOnlySpan<char> source, Span<char> scratch, out int consumed)
        {
            char c = source[0];
            consumed = 1;
            if (c < 0x20 || c == '"' || c == '\\')
                return scratch.Slice(0, WriteEscape(c, scratch));
            if (!char.IsSurrogate(c))
                return source.Slice(0, 1);
            if (char.IsHighSurrogate(c) && source.Length > 1 && char.IsLowSurrogate(source[1]))
            {
                consumed = 2;
                return source.Slice(0, 2);
            }
            // A lone surrogate: the input is complete, so a trailing high surrogate is replaced too.
            return ReplacementUtf16;
        }
    }

    private readonly struct Utf8Units : IEscapeUnits<byte>
    {
        public static ReadOnlySpan<byte> Next(ReadOnlySpan<byte> source, Span<byte> scratch, out int consumed)
        {
            byte b = source[0];
            consumed = 1;
            if (b < 0x20 || b == '"' || b == '\\')
            {
                Span<char> chars = stackalloc char[6];
                int length = WriteEscape((char)b, chars);
                for (int i = 0; i < length; i++)
                    scratch[i] = (byte)chars[i];
                return scratch.Slice(0, length);
            }
            if (b < 0x80)
                return source.Slice(0, 1);
            if (Rune.DecodeFromUtf8(source, out _, out consumed) == OperationStatus.Done)
                return source.Slice(0, consumed);
            consumed = IsEncodedSurrogate(source) ? 3 : consumed;
            return ReplacementUtf8;
        }
    }

    private static ReadOnlySpan<char> ReplacementUtf16 => "\uFFFD";

    // A surrogate code point in 3-byte form (ED A0..BF 80..BF): what a lone UTF-16 surrogate becomes
    // when the writer transcodes a string before escaping it. It is replaced by one U+FFFD, not three.
    private static bool IsEncodedSurrogate(ReadOnlySpan<byte> utf8)
        => utf8.Length >= 3 && utf8[0] == 0xED && (utf8[1] & 0xE0) == 0xA0 && (utf8[2] & 0xC0) == 0x80;

    private static ReadOnlySpan<byte> ReplacementUtf8 => [0xEF, 0xBF, 0xBD];

    // The JSON escape of a character below U+0020, '"' or '\'; returns its length.
    private static int WriteEscape(char c, Span<char> destination)
    {
        char shortForm = c switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\f' => 'f',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => '\0',
        };
        destination[0] = '\\';
        if (shortForm != '\0')
        {
            destination[1] = shortForm;
            return 2;
        }
        "u00".CopyTo(destination.Slice(1));
        destination[4] = HexDigit(c >> 4);
        destination[5] = HexDigit(c & 0xF);
        return 6;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static byte[] BuildInterestingBytes()
    {
        var bytes = new List<byte>(0x20 + 2 + 0x80);
        for (int b = 0; b < 0x20; b++)
            bytes.Add((byte)b);
        bytes.Add((byte)'"');
        bytes.Add((byte)'\\');
        for (int b = 0x80; b <= 0xFF; b++)
            bytes.Add((byte)b);
        return bytes.ToArray();
    }
}
