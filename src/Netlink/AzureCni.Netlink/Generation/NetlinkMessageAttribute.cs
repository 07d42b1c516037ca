namespace AzureCni.Netlink.Generation;

/// <summary>
/// Marks a <c>ref partial struct</c> as a netlink message body: a fixed header struct followed by an attribute set.
/// The generator adds the <c>Header</c> and <c>Attributes</c> fields, <c>TryRead</c> and <c>Write</c>.
/// </summary>
/// <param name="header">A <see cref="NetlinkStructAttribute"/> struct, e.g. <c>ifinfomsg</c>.</param>
/// <param name="attributes">A <see cref="NetlinkAttributeSetAttribute"/> set, e.g. <c>LinkAttributes</c>.</param>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class NetlinkMessageAttribute(Type header, Type attributes) : Attribute
{
    public Type Header { get; } = header;

    public Type Attributes { get; } = attributes;
}
