using Microsoft.CodeAnalysis;

namespace AzureCni.Generators.Netlink;

/// <summary>Diagnostics of the netlink generator. Ids are ACNI2001 upward and never reused.</summary>
internal static class NetlinkDiagnosticDescriptors
{
    private const string Category = "AzureCni.Netlink";

    public static DiagnosticDescriptor TypeMustBePartial { get; } = new(
        "ACNI2001", "Netlink type must be partial",
        "'{0}' must be declared partial so the netlink generator can extend it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor TypeMustBeTopLevel { get; } = new(
        "ACNI2002", "Netlink type must not be nested",
        "'{0}' must be declared directly in a namespace, not inside another type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor UnsupportedStructField { get; } = new(
        "ACNI2003", "Unsupported netlink struct field",
        "Field '{0}' of netlink struct '{1}' has type '{2}'; only byte, sbyte, ushort, short, uint, int, ulong, long and [InlineArray(N)] structs of one byte are supported",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor UnsupportedAttributeField { get; } = new(
        "ACNI2004", "Unsupported netlink attribute field",
        "Attribute field '{0}' of '{1}' has type '{2}' with encoding {3}; use a nullable integer, bool, ReadOnlySpan<byte>, a nullable [NetlinkStruct], an [NetlinkAttributeSet] or a [NetlinkMessage]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor DuplicateAttributeType { get; } = new(
        "ACNI2005", "Duplicate netlink attribute type",
        "Attribute type {0} is declared by both '{1}' and '{2}' in '{3}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor InvalidAttributeType { get; } = new(
        "ACNI2006", "Invalid netlink attribute type",
        "Attribute type of '{0}' must be an integer or enum constant between 1 and 16383",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor SpanFieldNeedsRefStruct { get; } = new(
        "ACNI2007", "Attribute set with span fields must be a ref struct",
        "'{0}' holds ReadOnlySpan<byte> or nested-set fields and must be declared 'ref partial struct'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor InvalidMessageParts { get; } = new(
        "ACNI2008", "Invalid netlink message parts",
        "Message '{0}' needs a [NetlinkStruct] header and a [NetlinkAttributeSet] attribute set; '{1}' is neither",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor EmptyStruct { get; } = new(
        "ACNI2009", "Netlink struct has no fields",
        "Netlink struct '{0}' declares no instance fields",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor InvalidKindData { get; } = new(
        "ACNI2010", "Invalid kind-specific netlink data",
        "Field '{0}' of '{1}': kind-specific data must be a nested set or message in a set with exactly one string field marked SelectsKind",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
