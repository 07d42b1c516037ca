using System.Text;
using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Hns;

/// <summary>Reads and writes HNS documents, which cross the API as UTF-16 strings.</summary>
public static class HcnDocuments
{
    /// <summary>
    /// What a reader throws for text that is not a document it can read: JsonException, and InvalidOperationException
    /// for a \u escape of a lone surrogate, which System.Text.Json refuses only when the string is taken.
    /// </summary>
    internal static bool IsMalformed(Exception e) => e is JsonException or InvalidOperationException;

    public static string Write<T>(T document) where T : ICniJsonObject<T> => CniJson.ToJsonString(document);

    public static T Read<T>(string json, string operation) where T : ICniJsonObject<T>
    {
        try
        {
            return CniJson.Parse<T>(Encoding.UTF8.GetBytes(json));
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw new HnsException($"{operation} returned a document this plugin cannot read: {e.Message}", HnsResults.E_UNEXPECTED, operation, json, e);
        }
    }

    /// <summary>Reads a JSON array of objects (an HNS v1 list).</summary>
    public static List<T> ReadArray<T>(string json, string operation) where T : ICniJsonObject<T> =>
        ReadList(json, operation, "a list", static (ref Utf8JsonReader reader) => T.ReadJson(ref reader));

    /// <summary>Reads the ID list HcnEnumerate* returns: a JSON array of GUID strings (or null for none).</summary>
    public static List<Guid> ReadIds(string json, string operation) =>
        ReadList(json, operation, "an ID list", static (ref Utf8JsonReader reader) =>
            reader.TokenType == JsonTokenType.String && Guid.TryParse(reader.GetString(), out Guid id) ? id : throw new JsonException("Expected a GUID string."));

    private delegate T ItemReader<T>(ref Utf8JsonReader reader);

    // A JSON array (or null for none) of items; any malformed part is an HnsException naming the operation.
    private static List<T> ReadList<T>(string json, string operation, string what, ItemReader<T> readItem)
    {
        var items = new List<T>();
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), CniJson.ReaderOptions);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
                return items;
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException("Expected an array.");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                items.Add(readItem(ref reader));
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw new HnsException($"{operation} returned {what} this plugin cannot read: {e.Message}", HnsResults.E_UNEXPECTED, operation, json, e);
        }
        return items;
    }

    /// <summary>Writes a JSON array of GUID strings (for in-memory services).</summary>
    public static string WriteIds(IEnumerable<Guid> ids)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (Guid id in ids)
                writer.WriteStringValue(HcnIds.Format(id));
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
