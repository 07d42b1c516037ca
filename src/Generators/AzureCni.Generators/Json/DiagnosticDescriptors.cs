using Microsoft.CodeAnalysis;

namespace AzureCni.Generators.Json;

/// <summary>The JSON generator's diagnostics. IDs are ACNI1xxx, sequential, never reused.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AzureCni.Json";

    public static DiagnosticDescriptor TypeNotPartial { get; } = new(
        id: "ACNI1001",
        title: "A [CniJsonObject] type must be partial",
        messageFormat: "The type '{0}' is marked [CniJsonObject] but is not declared partial",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor ContainingTypeNotPartial { get; } = new(
        id: "ACNI1002",
        title: "A [CniJsonObject] type must be nested only in partial types",
        messageFormat: "The type '{0}' is nested in '{1}', which is not declared partial",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor UnsupportedMemberType { get; } = new(
        id: "ACNI1003",
        title: "The JSON generator does not support this member type",
        messageFormat: "The property '{0}.{1}' has type '{2}', which the JSON generator does not support; use a supported type or mark it [JsonIgnore]",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor DuplicateJsonName { get; } = new(
        id: "ACNI1004",
        title: "Two members have the same JSON name",
        messageFormat: "The JSON name '{0}' of '{1}.{2}' is already used by '{1}.{3}'",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor UnknownFieldsNotFieldBag { get; } = new(
        id: "ACNI1005",
        title: "[JsonUnknownFields] needs a JsonFieldBag property",
        messageFormat: "The [JsonUnknownFields] property '{0}.{1}' has type '{2}'; it must be AzureCni.Json.JsonFieldBag",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor MultipleUnknownFields { get; } = new(
        id: "ACNI1006",
        title: "Only one [JsonUnknownFields] property per type",
        messageFormat: "The type '{0}' has more than one [JsonUnknownFields] property ('{1}' and '{2}')",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor GenericTypeNotSupported { get; } = new(
        id: "ACNI1007",
        title: "A [CniJsonObject] type cannot be generic",
        messageFormat: "The type '{0}' is generic (or nested in a generic type); [CniJsonObject] types cannot be generic",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor InvalidJsonName { get; } = new(
        id: "ACNI1008",
        title: "A JSON name cannot be empty",
        messageFormat: "The [JsonName] of '{0}.{1}' is empty",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor NoParameterlessConstructor { get; } = new(
        id: "ACNI1009",
        title: "A [CniJsonObject] class needs a parameterless constructor",
        messageFormat: "The type '{0}' has no parameterless constructor; the generated reader creates instances with 'new {0} {{ ... }}'",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor AttributeOnNonMember { get; } = new(
        id: "ACNI1010",
        title: "A JSON attribute is on a property that is not a JSON member",
        messageFormat: "The property '{0}.{1}' has [{2}] but is not a JSON member; a member needs a public getter and a public setter or init accessor, and must not be static",
        category: Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
