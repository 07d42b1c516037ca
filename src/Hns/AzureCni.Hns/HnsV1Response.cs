using System.Text;
using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Hns;

/// <summary>The envelope of every HNS v1 response: {"Success": bool, "Error": "...", "Output": ...}.</summary>
public static class HnsV1Response
{
    /// <summary>The "Output" of a successful response as JSON ("null" when absent); a failed one throws with its "Error" text.</summary>
    /// <remarks>HNS v1 has no not-found code; like its other clients, an error text saying "not found" counts as one.</remarks>
    public static string Unwrap(string operation, string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
            throw new HnsException($"{operation} returned no response.", HnsResults.E_UNEXPECTED, operation);

        bool success = false;
        string? error = null;
        string output = "null";
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(response));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException("not an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (name.Equals("Success", StringComparison.OrdinalIgnoreCase) && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                    success = reader.GetBoolean();
                else if (name.Equals("Error", StringComparison.OrdinalIgnoreCase) && reader.TokenType == JsonTokenType.String)
                    error = reader.GetString();
                else if (name.Equals("Output", StringComparison.OrdinalIgnoreCase))
                    output = RawJson.Read(ref reader).ToString();
                else
                    reader.Skip();
            }
        }
        catch (Exception e) when (HcnDocuments.IsMalformed(e))
        {
            throw new HnsException($"{operation} returned a response that is not an HNS v1 document: {e.Message}", HnsResults.E_UNEXPECTED, operation, response, e);
        }

        if (success)
            return output;
        bool notFound = error is not null && error.Contains("not found", StringComparison.OrdinalIgnoreCase);
        throw new HnsException($"{operation} failed: {error ?? "no error text"}",
            notFound ? HnsResults.ElementNotFound : HnsResults.E_FAIL, operation, response);
    }

    /// <summary>A response envelope, as HNS writes one (for in-memory services).</summary>
    public static string Wrap(bool success, string? error, string? outputJson)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("Success", success);
            if (error is not null)
                writer.WriteString("Error", error);
            if (outputJson is not null)
            {
                writer.WritePropertyName("Output");
                writer.WriteRawValue(outputJson);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
