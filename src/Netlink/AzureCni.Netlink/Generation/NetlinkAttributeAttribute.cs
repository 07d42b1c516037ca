namespace AzureCni.Netlink.Generation;

/// <summary>Tags a field of a <see cref="NetlinkAttributeSetAttribute"/> set with its attribute type.</summary>
/// <param name="type">The attribute type: an enum constant in kernel spelling (e.g. <c>IFLA.IFLA_MTU</c>) or an integer.</param>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class NetlinkAttributeAttribute(object type) : Attribute
{
    /// <summary>The attribute type as written in the declaration.</summary>
    public object Type { get; } = type;

    /// <summary>How the value is laid out in the attribute payload.</summary>
    public NetlinkEncoding Encoding { get; set; }
}
