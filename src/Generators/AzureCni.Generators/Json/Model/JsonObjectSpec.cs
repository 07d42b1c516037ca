using AzureCni.Generators.Common;

namespace AzureCni.Generators.Json.Model;

/// <summary>Everything the emitter needs for one [CniJsonObject] type.</summary>
/// <param name="Namespace">The namespace, empty for the global namespace.</param>
/// <param name="Name">The type's simple name.</param>
/// <param name="FullyQualifiedName">The global::-qualified name.</param>
/// <param name="DeclarationKeywords">The declaration keywords, e.g. "partial class" or "readonly partial record struct".</param>
/// <param name="ContainingTypes">Containing types, outermost first.</param>
/// <param name="Properties">The JSON members, base type members first, each in declaration order.</param>
/// <param name="UnknownFields">The [JsonUnknownFields] property, if any.</param>
/// <param name="HidesBaseMembers">A base type is itself a JSON object type, so the generated members are declared <c>new</c>.</param>
internal sealed record JsonObjectSpec(
    string Namespace,
    string Name,
    string FullyQualifiedName,
    string DeclarationKeywords,
    bool IsValueType,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    EquatableArray<JsonPropertySpec> Properties,
    UnknownFieldsSpec? UnknownFields,
    bool HidesBaseMembers,
    string HintName);

/// <summary>A type the [CniJsonObject] type is nested in.</summary>
internal sealed record ContainingTypeSpec(string Name, string DeclarationKeywords);

/// <summary>The JsonFieldBag property that keeps undeclared members.</summary>
internal sealed record UnknownFieldsSpec(string PropertyName, bool IsNullable, bool IsRequired, bool IsInitOnly, string DeclaringType)
{
    public bool SetInInitializer => IsRequired;

    public bool UsesInitAccessor => IsInitOnly && !IsRequired;
}
