using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AzureCni.Json;

/// <summary>
/// One JSON value kept as its UTF-8 text: a config member this program passes on without reading it
/// (a delegated plugin's settings, <c>runtimeConfig</c>, <c>args</c>, ...).
/// </summary>
/// <remarks>
/// The text is always strict JSON (no comments, no trailing commas), because every way of making one
/// validates or normalises it; that is why <see cref="WriteTo"/> can skip the writer's validation.
/// <c>default(RawJson)</c> is empty: "no value", which the generated writers leave out.
/// </remarks>
public readonly struct RawJson : IEquatable<RawJson>
{
    private readonly ReadOnlyMemory<byte> _utf8;

    private RawJson(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>The JSON literal <c>null</c>.</summary>
    public static RawJson Null { get; } = new("null"u8.ToArray());

    /// <summary>The value's UTF-8 text; empty when <see cref="IsEmpty"/>.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    public ReadOnlySpan<byte> Span => _utf8.Span;

    public bool IsEmpty => _utf8.IsEmpty;

    /// <summary>The kind of the value (StartObject, StartArray, String, Number, True, False, Null), or None when empty.</summary>
    public JsonTokenType TokenType => _utf8.IsEmpty ? JsonTokenType.None : _utf8.Span[0] switch
    {
        (byte)'{' => JsonTokenType.StartObject,
        (byte)'[' => JsonTokenType.StartArray,
        (byte)'"' => JsonTokenType.String,
        (byte)'t' => JsonTokenType.True,
        (byte)'f' => JsonTokenType.False,
        (byte)'n' => JsonTokenType.Null,
        _ => JsonTokenType.Number,
    };

    /// <summary>Validates <paramref name="utf8"/> as exactly one JSON value (comments and trailing commas are normalised away) and copies it.</summary>
    public static RawJson Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, CniJson.ReaderOptions);
        if (!reader.Read())
            throw new JsonException("Expected a JSON value, found no data.");
        RawJson value = Read(ref reader);
        if (reader.Read())
            throw new JsonException("Expected exactly one JSON value.");
        return value;
    }

    public static RawJson Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Wraps text the caller guarantees to be exactly one strict JSON value, without copying or checking it.</summary>
    public static RawJson FromTrustedUtf8(ReadOnlyMemory<byte> utf8) => new(utf8);

    /// <summary>Copies the value the reader is positioned on (its first token) and leaves the reader on the value's last token.</summary>
    public static RawJson Read(ref Utf8JsonReader reader)
    {
        JsonTokenType token = reader.TokenType;
        if (token is JsonTokenType.None or JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.Comment)
            throw new JsonException($"Expected a JSON value, found {token}.");

        if (reader.HasValueSequence)
        {
            Utf8JsonReader copy = reader;
            return Reencode(ref copy, ref reader);
        }

        if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            // A single token: ValueSpan is its raw text (a string's without the quotes, escapes kept).
            ReadOnlySpan<byte> text = reader.ValueSpan;
            if (token != JsonTokenType.String)
                return new RawJson(text.ToArray());
            byte[] quoted = new byte[text.Length + 2];
            quoted[0] = (byte)'"';
            text.CopyTo(quoted.AsSpan(1));
            quoted[^1] = (byte)'"';
            return new RawJson(quoted);
        }

        return ReadContainer(ref reader);
    }

    // An object or array. The reader does not expose its buffer, but for a contiguous input the
    // StartObject/StartArray ValueSpan is the bracket itself, inside that buffer; after Skip the closing
    // bracket must sit exactly as far away as the bytes consumed say, or the input was a multi-segment
    // sequence and the slow path copies token by token.
    private static RawJson ReadContainer(ref Utf8JsonReader reader)
    {
        Utf8JsonReader start = reader; // a copy, for the slow path
        long tokenStart = reader.TokenStartIndex;
        ref byte openRef = ref MemoryMarshal.GetReference(reader.ValueSpan);

        reader.Skip();
        int closeOffset = checked((int)(reader.BytesConsumed - 1 - tokenStart));
        ref byte closeRef = ref MemoryMarshal.GetReference(reader.ValueSpan);
        if (Unsafe.IsNullRef(ref openRef) || Unsafe.IsNullRef(ref closeRef) || reader.HasValueSequence
            || !Unsafe.AreSame(ref closeRef, ref Unsafe.Add(ref openRef, closeOffset)))
            return Reencode(ref start, ref reader);

        ReadOnlySpan<byte> container = MemoryMarshal.CreateReadOnlySpan(ref openRef, closeOffset + 1);
        JsonReaderOptions options = start.CurrentState.Options;
        bool mayBeLoose = options.CommentHandling != JsonCommentHandling.Disallow || options.AllowTrailingCommas;
        if (mayBeLoose && !IsStrict(container))
            return Reencode(ref start, ref reader);
        return new RawJson(container.ToArray());
    }

    /// <summary>Writes the value as is; the text was validated when this value was made.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_utf8.IsEmpty)
            throw new InvalidOperationException("An empty RawJson has no value to write.");
        writer.WriteRawValue(_utf8.Span, skipInputValidation: true);
    }

    /// <summary>A reader over the value, with the options of <see cref="CniJson.ReaderOptions"/>.</summary>
    public Utf8JsonReader CreateReader() => new(_utf8.Span, CniJson.ReaderOptions);

    /// <summary>Reads the value as a generated JSON object type.</summary>
    public T Deserialize<T>() where T : ICniJsonObject<T> => CniJson.Parse<T>(_utf8.Span);

    /// <summary>The unescaped string when the value is a JSON string, else null.</summary>
    public string? GetString()
    {
        if (TokenType != JsonTokenType.String)
            return null;
        Utf8JsonReader reader = CreateReader();
        reader.Read();
        return reader.GetString();
    }

    public override string ToString() => Encoding.UTF8.GetString(_utf8.Span);

    public bool Equals(RawJson other) => _utf8.Span.SequenceEqual(other._utf8.Span);

    public override bool Equals(object? obj) => obj is RawJson other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8.Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(RawJson left, RawJson right) => left.Equals(right);

    public static bool operator !=(RawJson left, RawJson right) => !left.Equals(right);

    // True when text the reader already accepted has no comments and no trailing commas, the only
    // things a lenient reader lets through that strict JSON forbids.
    private static bool IsStrict(ReadOnlySpan<byte> json)
    {
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            byte b = json[i];
            if (inString)
            {
                if (b == '\\')
                    i++;
                else if (b == '"')
                    inString = false;
                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'/':
                    return false;
                case (byte)',':
                    int next = i + 1;
                    while (next < json.Length && json[next] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                        next++;
                    if (next < json.Length && json[next] is (byte)'}' or (byte)']')
                        return false;
                    break;
            }
        }
        return true;
    }

    // The slow path: write the value token by token into strict JSON. `source` is at the value's first
    // token; `reader` is moved to the value's last token.
    private static RawJson Reencode(ref Utf8JsonReader source, ref Utf8JsonReader reader)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, CniJson.WriterOptions))
        {
            int depth = source.CurrentDepth;
            while (true)
            {
                switch (source.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(source.GetString()!);
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(source.GetString());
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(source.HasValueSequence ? source.ValueSequence.ToArray() : source.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        writer.WriteBooleanValue(source.TokenType == JsonTokenType.True);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }

                bool valueDone = source.CurrentDepth == depth && source.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
                if (valueDone || !source.Read())
                    break;
            }
        }
        reader = source;
        return new RawJson(output.WrittenMemory);
    }
}
