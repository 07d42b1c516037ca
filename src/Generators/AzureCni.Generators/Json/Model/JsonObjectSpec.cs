using AzureCni.Generators.Common;

namespace AzureCni.Generators.Json.Model;

/// <summary>Everything the emitter needs for one [CniJsonObject] type.</summary>
internal sealed record JsonObjectSpec
{
    /// <summary>The namespace, empty for the global namespace.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>The type's simple name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The global::-qualified name.</summary>
    public string FullyQualifiedName { get; init; } = string.Empty;

    /// <summary>The declaration keywords, e.g. "partial class" or "readonly partial record struct".</summary>
    public string DeclarationKeywords { get; init; } = string.Empty;

    public bool IsValueType { get; init; }

    /// <summary>Containing types, outermost first.</summary>
    public EquatableArray<ContainingTypeSpec> ContainingTypes { get; init; }

    /// <summary>The JSON members, base type members first, each in declaration order.</summary>
    public EquatableArray<JsonPropertySpec> Properties { get; init; }

    /// <summary>The [JsonUnknownFields] property, if any.</summary>
    public UnknownFieldsSpec? UnknownFields { get; init; }

    /// <summary>A base type is itself a JSON object type, so the generated members are declared <c>new</c>.</summary>
    public bool HidesBaseMembers { get; init; }

    /// <summary>The generated file's name.</summary>
    public string HintName { get; init; } = string.Empty;
}

/// <summary>A type the [CniJsonObject] type is nested in.</summary>
internal sealed record ContainingTypeSpec(string Name, string DeclarationKeywords);

/// <summary>The JsonFieldBag property that keeps undeclared members.</summary>
internal sealed record UnknownFieldsSpec(string PropertyName, bool IsNullable, bool IsRequired, bool IsInitOnly, string DeclaringType)
{
    public bool SetInInitializer => IsRequired;

    public bool UsesInitAccessor => IsInitOnly && !IsRequired;
}
