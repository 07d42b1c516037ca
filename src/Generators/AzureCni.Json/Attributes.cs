namespace AzureCni.Json;

// The contract between CNI document types and the JSON generator (src/Generators/AzureCni.Generators/Json).
//
// A partial class or struct marked [CniJsonObject] gets, from the generator:
//   public static T ReadJson(ref System.Text.Json.Utf8JsonReader reader)   // at StartObject, or before it
//   public void WriteJson(System.Text.Json.Utf8JsonWriter writer)
// and implements ICniJsonObject<T>, so CniJson.Parse<T> / CniJson.Write<T> work on it.
//
// Member rules:
//   - every public instance property with a getter and a setter (or init) is a JSON member;
//   - its name is [JsonName("...")], else the property name in camelCase;
//   - reading matches names exactly first, then ASCII case-insensitively (as Go's encoding/json does,
//     which upstream configs rely on: "Nameservers", "DestinationPrefix", ...);
//   - supported types: string, bool, the integer types, double, their nullable forms, other
//     [CniJsonObject] types, List<T> and T[] of any of these, Dictionary<string, T>, and RawJson;
//   - writing omits a member whose value is null (reference or Nullable<T>); non-nullable value types
//     are always written; an empty list is written as [];
//   - a member of the wrong JSON type is a JsonException naming the member; JSON null reads as null;
//   - a property of type JsonFieldBag marked [JsonUnknownFields] collects every member the type does
//     not declare, raw, and writes them back after the declared ones, so nothing is lost when a
//     config is re-serialised for a delegated plugin.

/// <summary>Asks the JSON generator for a reader and writer for this type.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class CniJsonObjectAttribute : Attribute;

/// <summary>The JSON member name of a property, when it is not the camelCase property name.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Leaves a property out of the JSON document.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonIgnoreAttribute : Attribute;

/// <summary>Marks the <see cref="JsonFieldBag"/> property that keeps members the type does not declare.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonUnknownFieldsAttribute : Attribute;
