using System.Runtime.InteropServices;

namespace AzureCni.Netlink.Protocol;

/// <summary>
/// An open nested attribute; <see cref="Dispose"/> patches its <c>nla_len</c> to cover what was written inside.
/// It shares the writer's buffer and refers to the writer's length (a ref field cannot point at the ref struct itself).
/// </summary>
public readonly ref struct NestedAttributeScope
{
    private readonly Span<byte> _buffer;
    private readonly ref int _length;
    private readonly int _start;

    internal NestedAttributeScope(Span<byte> buffer, ref int length, int start)
    {
        _buffer = buffer;
        _length = ref length;
        _start = start;
    }

    public void Dispose()
    {
        int length = _length - _start;
        if (length > ushort.MaxValue)
            throw new InvalidOperationException("Netlink writer: nested attribute longer than 65535 bytes.");
        MemoryMarshal.Write(_buffer[_start..], (ushort)length);
    }
}
