using System.Runtime.InteropServices;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink;

/// <summary>The datagram boundary: the kernel socket, or a fake kernel in tests.</summary>
internal interface INetlinkTransport : IDisposable
{
    /// <summary>The port id replies are addressed to (nlmsg_pid).</summary>
    uint PortId { get; }

    void Send(ReadOnlySpan<byte> request, NetlinkOperation operation);

    /// <summary>The next datagram; valid until the next call.</summary>
    ReadOnlySpan<byte> Receive(NetlinkOperation operation);
}

/// <summary>
/// Runs requests over a transport, one at a time: stamps the sequence number, then reads datagrams until the
/// reply is complete (ACK or NLMSG_DONE); dumps the kernel marks inconsistent are run again.
/// </summary>
internal sealed class NetlinkClient(INetlinkTransport transport) : IDisposable
{
    /// <summary>Attempts at a dump that keeps reporting NLM_F_DUMP_INTR (as plugins' netlinksafe).</summary>
    internal const int MaxDumpAttempts = 5;

    private readonly Lock _lock = new();

    // Distinct starting points keep replies meant for an earlier socket from matching by accident.
    private uint _sequence = (uint)Environment.TickCount;

    /// <summary>Sends a request that expects only an acknowledgement.</summary>
    public void Execute(Span<byte> request, NetlinkOperation operation) =>
        Execute<object?>(request, operation, null, null);

    /// <summary>Sends a request and feeds every data message of the reply to <paramref name="handler"/>.</summary>
    public void Execute<TState>(Span<byte> request, NetlinkOperation operation, TState state, NetlinkMessageHandler<TState>? handler)
    {
        lock (_lock)
        {
            uint sequence = Send(request, operation);
            var reply = new NetlinkReply(sequence, transport.PortId, operation);
            while (!reply.Process(Receive(operation), state, handler))
            {
            }
        }
    }

    /// <summary>
    /// Runs a dump, starting over (after <paramref name="reset"/>) while the kernel marks it inconsistent,
    /// at most <see cref="MaxDumpAttempts"/> times.
    /// </summary>
    public void Dump<TState>(Span<byte> request, NetlinkOperation operation, TState state, NetlinkMessageHandler<TState> handler, Action<TState> reset)
    {
        lock (_lock)
        {
            for (int attempt = 1; ; attempt++)
            {
                uint sequence = Send(request, operation);
                var reply = new NetlinkReply(sequence, transport.PortId, operation);
                while (!reply.Process(Receive(operation), state, handler))
                {
                }
                if (!reply.Interrupted)
                    return;
                if (attempt == MaxDumpAttempts)
                    throw new NetlinkDumpInterruptedException(operation.ToString());
                reset(state);
            }
        }
    }

    /// <summary>Runs a dump into <paramref name="sink"/>, as <see cref="Dump{TState}"/>.</summary>
    public void Dump(Span<byte> request, NetlinkOperation operation, DumpSink sink) =>
        Dump(request, operation, sink, static (s, type, payload) => s.Accept(type, payload), static s => s.Reset());

    public void Dispose() => transport.Dispose();

    private uint Send(Span<byte> request, NetlinkOperation operation)
    {
        uint sequence = ++_sequence;
        MemoryMarshal.Write(request[8..], sequence); // nlmsg_seq
        transport.Send(request, operation);
        return sequence;
    }

    private ReadOnlySpan<byte> Receive(NetlinkOperation operation) => transport.Receive(operation);
}
