namespace AzureCni.Generators.Json.Model;

/// <summary>One JSON member of a [CniJsonObject] type.</summary>
/// <param name="PropertyName">The C# property name.</param>
/// <param name="JsonName">The JSON member name ([JsonName] or camelCase).</param>
/// <param name="IsRequired">Declared <c>required</c>: set in the object initializer; absent and not nullable is an error.</param>
/// <param name="IsInitOnly">Has an <c>init</c> accessor: set in the object initializer.</param>
// Positional rather than `required` members: netstandard2.0 lacks the attributes `required` needs.
internal sealed record JsonPropertySpec(string PropertyName, string JsonName, JsonTypeRef Type, bool IsRequired, bool IsInitOnly)
{
    public bool SetInInitializer => IsRequired || IsInitOnly;
}
