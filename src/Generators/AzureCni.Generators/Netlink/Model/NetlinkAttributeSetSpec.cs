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
/// constant for a comment in the output (empty when the declaration used a number). <paramref name="ForKind"/>
/// is the kind a kind-specific field belongs to (empty otherwise); <paramref name="SelectsKind"/> marks the
/// string field that names the kind.
/// </summary>
internal sealed record NetlinkAttributeSpec(
    string FieldName,
    int AttributeType,
    string ConstantName,
    NetlinkAttributeKind Kind,
    string ValueType,
    bool SetsNestedFlag,
    string ForKind,
    bool SelectsKind);
