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
        char shortForm = unicodeScalar switch
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

        if (shortForm != '\0')
        {
            if (destination.Length < 2)
                return false;
            destination[0] = '\\';
            destination[1] = shortForm;
            numberOfCharactersWritten = 2;
            return true;
        }

        if (unicodeScalar < 0x20)
        {
            if (destination.Length < 6)
                return false;
            "\\u00".CopyTo(destination);
            destination[4] = HexDigit(unicodeScalar >> 4);
            destination[5] = HexDigit(unicodeScalar & 0xF);
            numberOfCharactersWritten = 6;
            return true;
        }

        // Not ours to escape: write the scalar itself.
        return new Rune(unicodeScalar).TryEncodeToUtf16(destination, out numberOfCharactersWritten);
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
