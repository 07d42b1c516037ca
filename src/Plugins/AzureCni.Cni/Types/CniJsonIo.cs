using System.Buffers;
using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Cni.Types;

/// <summary>Reads and writes whole CNI documents with the generated readers and writers.</summary>
public static class CniJsonIo
{
    /// <summary>Nesting deeper than this is not a network config; it also bounds the work garbage input can cause.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JsonEncoding.Encoder, SkipValidation = true };

    /// <summary>Parses one document that must be the whole input (trailing data is an error, as in Go's json.Unmarshal).</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8)
        where T : ICniJsonObject<T>
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var value = T.ReadJson(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"unexpected data after the JSON document at byte {reader.TokenStartIndex}");
        }

        return value;
    }

    /// <summary>Writes one document into <paramref name="output"/>.</summary>
    public static void Write<T>(T document, IBufferWriter<byte> output)
        where T : ICniJsonObject<T>
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        document.WriteJson(writer);
        writer.Flush();
    }

    /// <summary>Writes a result document of any version (the output of <see cref="CniResultConverter.ToDocument"/>).</summary>
    public static void WriteResult(CniResult result, SpecVersion version, IBufferWriter<byte> output)
    {
        switch (CniResultConverter.ToDocument(result, version))
        {
            case Result020 r: Write(r, output); break;
            case Result040 r: Write(r, output); break;
            case Result100 r: Write(r, output); break;
        }
    }
}
