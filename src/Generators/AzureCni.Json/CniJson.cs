using System.Buffers;
using System.Text.Json;

namespace AzureCni.Json;

/// <summary>Entry points for reading and writing <see cref="CniJsonObjectAttribute"/> types.</summary>
public static class CniJson
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Lenient where CNI configs are in practice: comments skipped, trailing commas allowed; depth at most 64.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    /// <summary>Compact output escaped by <see cref="MinimalJsonEncoder"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = MinimalJsonEncoder.Instance };

    /// <summary>Like <see cref="WriterOptions"/>, indented.</summary>
    public static JsonWriterOptions IndentedWriterOptions { get; } = new() { Encoder = MinimalJsonEncoder.Instance, Indented = true };

    /// <summary>Reads one document holding exactly one <typeparamref name="T"/> object (a UTF-8 BOM is ignored).</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8) where T : ICniJsonObject<T>
    {
        if (utf8.StartsWith("\xEF\xBB\xBF"u8))
            utf8 = utf8.Slice(3);
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        T value = T.ReadJson(ref reader);
        if (reader.Read())
            throw new JsonException("Unexpected data after the JSON object.");
        return value;
    }

    /// <summary>A writer over <paramref name="output"/> with the house options (use it for documents written by hand).</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output, bool indented = false)
        => new(output, indented ? IndentedWriterOptions : WriterOptions);

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="output"/> and flushes. Reuses one writer per
    /// thread, so writing into a reused <see cref="PooledBufferWriter"/> allocates nothing.
    /// </summary>
    public static void Write<T>(T value, IBufferWriter<byte> output) where T : ICniJsonObject<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        Utf8JsonWriter? writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
            t_writer = writer;
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            value.WriteJson(writer);
            writer.Flush();
        }
        catch
        {
            // A half-written document leaves the writer mid-object; start afresh next time.
            t_writer = null;
            throw;
        }
    }

    /// <summary>The document as a new byte array.</summary>
    public static byte[] ToUtf8Bytes<T>(T value) where T : ICniJsonObject<T>
    {
        using var buffer = new PooledBufferWriter(512);
        Write(value, buffer);
        return buffer.ToArray();
    }

    /// <summary>The document as a string (tests, logs).</summary>
    public static string ToJsonString<T>(T value) where T : ICniJsonObject<T>
    {
        using var buffer = new PooledBufferWriter(512);
        Write(value, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
