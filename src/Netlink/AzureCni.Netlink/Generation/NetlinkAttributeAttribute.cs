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

    /// <summary>
    /// Marks the string field whose value names the kind of the set's kind-specific data (<c>IFLA_INFO_KIND</c>).
    /// When it is empty on write, the generator writes the kind of the one kind-specific field that is present.
    /// </summary>
    public bool SelectsKind { get; set; }

    /// <summary>
    /// Kind-specific data (<c>IFLA_INFO_DATA</c>): several nested fields may share one attribute type, each for a
    /// different kind; the one whose kind the selector holds is decoded, and the present one is written.
    /// </summary>
    public string? ForKind { get; set; }
}
