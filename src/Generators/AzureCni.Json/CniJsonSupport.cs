using System.ComponentModel;
using System.Text.Json;

namespace AzureCni.Json;

/// <summary>
/// Helpers the generated readers call, so the emitted code stays short. Not meant for hand-written
/// code; its members are part of the generator contract and only ever gain overloads.
/// </summary>
/// <remarks>
/// <c>member</c> arguments name the JSON member for error messages, as "Type.jsonName"; they are
/// constant strings in the generated code, so passing them costs nothing.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CniJsonSupport
{
    /// <summary>Moves to the object's StartObject when the reader is before it, and checks that it is one.</summary>
    public static void ReadStartObject(ref Utf8JsonReader reader, string typeName)
    {
        if (reader.TokenType is JsonTokenType.None or JsonTokenType.PropertyName)
            ReadOrThrow(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"Expected a JSON object for {typeName}, found {Describe(reader.TokenType)}.");
    }

    /// <summary>Moves to the next member name (true) or to the object's EndObject (false).</summary>
    public static bool ReadNextMember(ref Utf8JsonReader reader)
    {
        ReadOrThrow(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException($"Expected a JSON member name, found {Describe(reader.TokenType)}."),
        };
    }

    /// <summary>Moves from a member name to the first token of its value.</summary>
    public static void ReadValueStart(ref Utf8JsonReader reader) => ReadOrThrow(ref reader);

    /// <summary>Moves to the next array element (true) or to the array's EndArray (false).</summary>
    public static bool ReadNextElement(ref Utf8JsonReader reader)
    {
        ReadOrThrow(ref reader);
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>
    /// Unescapes the current member name into <paramref name="buffer"/> for the case-insensitive fallback
    /// match (generated code reads unescaped names straight from ValueSpan). Returns the length, or -1
    /// when the name cannot fit: the buffer is sized for the longest declared name, so it could not match anyway.
    /// </summary>
    public static int CopyMemberName(ref Utf8JsonReader reader, scoped Span<byte> buffer)
    {
        long rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        // Unescaping never lengthens a name, so a raw name that fits always copies.
        if (rawLength > buffer.Length)
            return -1;
        return reader.CopyString(buffer);
    }

    public static void ExpectStartArray(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw WrongType(member, "an array", reader.TokenType);
    }

    public static void ExpectStartObject(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw WrongType(member, "an object", reader.TokenType);
    }

    public static string GetString(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw WrongType(member, "a string", reader.TokenType);
        return reader.GetString()!;
    }

    public static bool GetBoolean(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw WrongType(member, "a boolean", reader.TokenType),
    };

    public static sbyte GetSByte(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out sbyte value) ? value : throw WrongNumber(member, "an SByte", ref reader);

    public static byte GetByte(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out byte value) ? value : throw WrongNumber(member, "a Byte", ref reader);

    public static short GetInt16(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out short value) ? value : throw WrongNumber(member, "an Int16", ref reader);

    public static ushort GetUInt16(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out ushort value) ? value : throw WrongNumber(member, "a UInt16", ref reader);

    public static int GetInt32(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : throw WrongNumber(member, "an Int32", ref reader);

    public static uint GetUInt32(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out uint value) ? value : throw WrongNumber(member, "a UInt32", ref reader);

    public static long GetInt64(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : throw WrongNumber(member, "an Int64", ref reader);

    public static ulong GetUInt64(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out ulong value) ? value : throw WrongNumber(member, "a UInt64", ref reader);

    public static double GetDouble(ref Utf8JsonReader reader, string member)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double value) ? value : throw WrongNumber(member, "a number", ref reader);

    public static JsonException WrongType(string member, string expected, JsonTokenType found)
        => new($"The JSON member '{member}' must be {expected}, not {Describe(found)}.");

    public static JsonException MissingRequired(string member)
        => new($"The JSON member '{member}' is required.");

    private static JsonException WrongNumber(string member, string expected, ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Number
            ? new JsonException($"The JSON member '{member}' must be {expected}; the number is out of range or not an integer.")
            : WrongType(member, expected, reader.TokenType);

    private static void ReadOrThrow(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("Unexpected end of the JSON data.");
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.None => "no data",
        _ => token.ToString(),
    };
}
