using System.Text.Json;

namespace AzureCni.Json;

/// <summary>Implemented by the JSON generator on every <see cref="CniJsonObjectAttribute"/> type.</summary>
public interface ICniJsonObject<TSelf> where TSelf : ICniJsonObject<TSelf>
{
    /// <summary>Reads one object; the reader is at its StartObject token, or before it.</summary>
    static abstract TSelf ReadJson(ref Utf8JsonReader reader);

    /// <summary>Writes this object as one JSON object value.</summary>
    void WriteJson(Utf8JsonWriter writer);
}
