namespace AzureCni.Netlink.Generation;

/// <summary>
/// Marks a <c>ref partial struct</c> whose fields are the attributes (TLVs) of one netlink attribute family,
/// each tagged with <see cref="NetlinkAttributeAttribute"/>. The generator emits <c>TryRead</c>, <c>Write</c> and
/// <c>IsEmpty</c>. Field types: nullable integers, <see cref="bool"/> (a flag attribute),
/// <see cref="ReadOnlySpan{T}"/> of bytes (raw or string), a nullable <see cref="NetlinkStructAttribute"/> struct,
/// or another attribute set (a nested attribute).
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class NetlinkAttributeSetAttribute : Attribute;
