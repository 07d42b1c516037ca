using System.Buffers.Binary;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests;

/// <summary>
/// Plays the kernel at the datagram boundary: records each request and answers with the datagrams the test
/// scripts for it, stamped with the request's sequence number (as the kernel echoes nlmsg_seq).
/// </summary>
internal sealed class FakeKernel(params Func<byte[], byte[][]>[] script) : INetlinkTransport
{
    private readonly Queue<byte[]> _pending = new();
    private byte[] _current = [];

    public List<byte[]> Requests { get; } = [];

    public uint PortId => KernelReplies.PortId;

    public void Send(ReadOnlySpan<byte> request, NetlinkOperation operation)
    {
        byte[] copy = request.ToArray();
        Requests.Add(copy);
        Assert.True(Requests.Count <= script.Length, $"unexpected request #{Requests.Count}: {Hex.Format(copy)}");
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(8));
        foreach (byte[] datagram in script[Requests.Count - 1](copy))
            _pending.Enqueue(Restamp(datagram, sequence));
    }

    public ReadOnlySpan<byte> Receive(NetlinkOperation operation)
    {
        Assert.True(_pending.Count > 0, $"{operation}: the client waits for a datagram the kernel would not send");
        _current = _pending.Dequeue();
        return _current;
    }

    public void Dispose()
    {
    }

    /// <summary>Replaces the sequence number the builders wrote (KernelReplies.Sequence) with the request's.</summary>
    private static byte[] Restamp(byte[] datagram, uint sequence)
    {
        byte[] copy = (byte[])datagram.Clone();
        for (int offset = 0; offset + 16 <= copy.Length; offset += NetlinkAlign.Message(BinaryPrimitives.ReadInt32LittleEndian(copy.AsSpan(offset))))
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset + 8)) == KernelReplies.Sequence)
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset + 8), sequence);
        }
        return copy;
    }
}
