using AzureCni.Generators.Common;

namespace AzureCni.Generators.Netlink.Model;

/// <summary>An attribute family: the fields that map to attribute types, in declaration order.</summary>
internal sealed record NetlinkAttributeSetSpec(NetlinkTypeSpec Type, EquatableArray<NetlinkAttributeSpec> Attributes);

/// <summary>How an attribute field is encoded.</summary>
internal enum NetlinkAttributeKind
{
    Integer,
    BigEndianInteger,
    Flag,
    Bytes,
    String,
    Struct,
    Nested,
    Message,
}

/// <summary>
/// One attribute of a set. <paramref name="ValueType"/> is a C# keyword for integers, the global-qualified
/// name for structs and nested sets, empty otherwise. <paramref name="ConstantName"/> names the type
/// constant for a comment in the output (empty when the declaration used a number).
/// </summary>
internal sealed record NetlinkAttributeSpec(
    string FieldName,
    int AttributeType,
    string ConstantName,
    NetlinkAttributeKind Kind,
    string ValueType,
    bool SetsNestedFlag)
{
    /// <summary>The kind a kind-specific field belongs to; empty for a field of every kind.</summary>
    public string ForKind { get; init; } = string.Empty;

    /// <summary>The string field that names the kind.</summary>
    public bool SelectsKind { get; init; }
}
