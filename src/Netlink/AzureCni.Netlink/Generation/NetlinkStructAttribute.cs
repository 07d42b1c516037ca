namespace AzureCni.Netlink.Generation;

/// <summary>
/// Marks a <c>partial struct</c> whose instance fields mirror a fixed-size kernel struct (e.g. <c>ifinfomsg</c>).
/// The netlink generator lays the fields out with C's natural alignment and emits <c>EncodedSize</c>,
/// <c>Write(Span&lt;byte&gt;)</c> (padding zeroed) and <c>TryRead(ReadOnlySpan&lt;byte&gt;, out T)</c>.
/// Fields must be byte, sbyte, ushort, short, uint, int, ulong or long, or a byte array (a C <c>unsigned char x[N]</c>)
/// declared as an <c>[InlineArray(N)]</c> struct of one byte, which is laid out with alignment 1.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class NetlinkStructAttribute : Attribute;
