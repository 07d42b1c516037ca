namespace AzureCni.Generators.Json.Model;

/// <summary>One JSON member of a [CniJsonObject] type.</summary>
/// <param name="PropertyName">The C# property name.</param>
/// <param name="JsonName">The JSON member name ([JsonName] or camelCase).</param>
/// <param name="IsRequired">Declared <c>required</c>: set in the object initializer; absent and not nullable is an error.</param>
/// <param name="IsInitOnly">Has an <c>init</c> accessor.</param>
/// <param name="DeclaringType">The global::-qualified type that declares the property (a base type for inherited ones).</param>
// Positional rather than `required` members: netstandard2.0 lacks the attributes `required` needs.
internal sealed record JsonPropertySpec(string PropertyName, string JsonName, JsonTypeRef Type, bool IsRequired, bool IsInitOnly, string DeclaringType)
{
    /// <summary>Required members must be set in the object initializer.</summary>
    public bool SetInInitializer => IsRequired;

    /// <summary>
    /// Optional init-only members are set, only when present, through an UnsafeAccessor to their init
    /// accessor: an object initializer would have to overwrite the property initializer when absent.
    /// </summary>
    public bool UsesInitAccessor => IsInitOnly && !IsRequired;
}
