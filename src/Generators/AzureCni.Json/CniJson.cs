using System.Buffers;
using System.Text.Json;

namespace AzureCni.Json;

/// <summary>Entry points for reading and writing <see cref="CniJsonObjectAttribute"/> types.</summary>
public static class CniJson
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    [ThreadStatic]
    private static bool t_writerInUse;

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
        if (utf8.StartsWith(Utf8ByteOrderMark))
            utf8 = utf8.Slice(Utf8ByteOrderMark.Length);
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
    /// thread, so writing into a reused <see cref="PooledBufferWriter"/> allocates nothing after warm-up.
    /// </summary>
    public static void Write<T>(T value, IBufferWriter<byte> output) where T : ICniJsonObject<T>
    {
        if (value is null) // not ThrowIfNull(object): that would box a struct
            throw new ArgumentNullException(nameof(value));
        // Not through Write<TState> with a lambda: a lambda in this generic method gets a static cache per
        // document type, which NativeAOT allocates before Main of every call.
        Utf8JsonWriter writer = Acquire(output, out bool nested);
        try
        {
            value.WriteJson(writer);
            writer.Flush();
        }
        finally
        {
            Release(writer, nested);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> on this thread's reusable writer, set onto <paramref name="output"/>,
    /// then flushes: for documents written by hand, allocation-free when <paramref name="write"/> is a
    /// static lambda. Inside <paramref name="write"/>, write nested objects with their <c>WriteJson</c>;
    /// a nested call to this method gets a writer of its own.
    /// </summary>
    public static void Write<TState>(IBufferWriter<byte> output, TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        Utf8JsonWriter writer = Acquire(output, out bool nested);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        finally
        {
            Release(writer, nested);
        }
    }

    // This thread's cached writer set onto output, or, while that one is busy with an outer document, a new one.
    private static Utf8JsonWriter Acquire(IBufferWriter<byte> output, out bool nested)
    {
        ArgumentNullException.ThrowIfNull(output);
        nested = t_writerInUse;
        if (nested)
            return new Utf8JsonWriter(output, WriterOptions);

        Utf8JsonWriter? writer = t_writer;
        if (writer is null)
            t_writer = writer = new Utf8JsonWriter(output, WriterOptions);
        else
            writer.Reset(output);
        t_writerInUse = true;
        return writer;
    }

    private static void Release(Utf8JsonWriter writer, bool nested)
    {
        if (nested)
        {
            writer.Dispose();
            return;
        }
        // Drop the reference to the caller's buffer; a half-written document is forgotten here too.
        writer.Reset(NullBufferWriter.Instance);
        t_writerInUse = false;
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

    // Where the cached writer points between documents, so it does not keep a caller's buffer alive.
    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count) => throw new InvalidOperationException("The cached JSON writer was used outside CniJson.Write.");

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("The cached JSON writer was used outside CniJson.Write.");

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("The cached JSON writer was used outside CniJson.Write.");
    }
}
