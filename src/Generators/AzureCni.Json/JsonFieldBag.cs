using System.Collections;
using System.Text.Json;

namespace AzureCni.Json;

/// <summary>
/// JSON object members kept raw and in document order: the members a <see cref="CniJsonObjectAttribute"/>
/// type does not declare (with <see cref="JsonUnknownFieldsAttribute"/>), or any free-form object.
/// Names compare ordinally; setting an existing name replaces its value in place.
/// </summary>
public sealed class JsonFieldBag : IReadOnlyList<KeyValuePair<string, RawJson>>
{
    private readonly List<KeyValuePair<string, RawJson>> _fields;

    public JsonFieldBag() => _fields = [];

    public JsonFieldBag(int capacity) => _fields = new List<KeyValuePair<string, RawJson>>(capacity);

    public int Count => _fields.Count;

    public KeyValuePair<string, RawJson> this[int index] => _fields[index];

    public bool Contains(string name) => IndexOf(name) >= 0;

    public bool TryGet(string name, out RawJson value)
    {
        int index = IndexOf(name);
        value = index >= 0 ? _fields[index].Value : default;
        return index >= 0;
    }

    /// <summary>The value of <paramref name="name"/>, or an empty <see cref="RawJson"/> when absent.</summary>
    public RawJson Get(string name)
    {
        TryGet(name, out RawJson value);
        return value;
    }

    public void Set(string name, RawJson value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (value.IsEmpty)
            throw new ArgumentException("A field needs a value; use Remove to drop it.", nameof(value));
        int index = IndexOf(name);
        if (index >= 0)
            _fields[index] = new(name, value);
        else
            _fields.Add(new(name, value));
    }

    public bool Remove(string name)
    {
        int index = IndexOf(name);
        if (index < 0)
            return false;
        _fields.RemoveAt(index);
        return true;
    }

    public void Clear() => _fields.Clear();

    /// <summary>Reads one member: the reader is at its PropertyName and is left on the value's last token.</summary>
    public void ReadMember(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
            throw new JsonException($"Expected a JSON property name, found {reader.TokenType}.");
        string name = reader.GetString()!;
        CniJsonSupport.ReadValueStart(ref reader);
        Set(name, RawJson.Read(ref reader));
    }

    /// <summary>Reads a whole JSON object (the reader is at its StartObject, or before it) into a new bag.</summary>
    public static JsonFieldBag ReadObject(ref Utf8JsonReader reader)
    {
        CniJsonSupport.ReadStartObject(ref reader, nameof(JsonFieldBag));
        var bag = new JsonFieldBag();
        while (CniJsonSupport.ReadNextMember(ref reader))
            bag.ReadMember(ref reader);
        return bag;
    }

    /// <summary>Writes the fields as members of the object the writer is inside.</summary>
    public void WriteMembersTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (KeyValuePair<string, RawJson> field in _fields)
        {
            writer.WritePropertyName(field.Key);
            field.Value.WriteTo(writer);
        }
    }

    /// <summary>Writes the fields as one JSON object value.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteMembersTo(writer);
        writer.WriteEndObject();
    }

    public List<KeyValuePair<string, RawJson>>.Enumerator GetEnumerator() => _fields.GetEnumerator();

    IEnumerator<KeyValuePair<string, RawJson>> IEnumerable<KeyValuePair<string, RawJson>>.GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _fields.GetEnumerator();

    private int IndexOf(string name)
    {
        for (int i = 0; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Key, name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }
}
