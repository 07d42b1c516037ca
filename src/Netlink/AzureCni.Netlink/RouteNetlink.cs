using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink;

/// <summary>
/// An rtnetlink handle for one network namespace: links, addresses, routes and neighbours, each method
/// equivalent to an <c>ip</c> command (named in its documentation). Requests are encoded on the stack; only
/// results returned to the caller allocate. Thread-safe: requests on one handle are serialized.
/// </summary>
/// <example>
/// <code>
/// using NetworkNamespace container = NetworkNamespace.Open(cniNetns);
/// using RouteNetlink host = RouteNetlink.Open();
/// host.AddVethPair("azv1234", "eth0", peerNamespace: container);
/// </code>
/// </example>
public sealed partial class RouteNetlink : IDisposable
{
    /// <summary>Room for any single request this handle builds on the stack (the largest, a veth pair, is under 200 bytes).</summary>
    internal const int RequestBufferSize = 512;

    private readonly NetlinkClient _client;

    internal RouteNetlink(NetlinkClient client) => _client = client;

    /// <summary>Opens a handle in the calling thread's network namespace.</summary>
    public static RouteNetlink Open() => new(new NetlinkClient(NetlinkSocket.Open()));

    /// <summary>Opens a handle whose socket lives in <paramref name="networkNamespace"/>; usable from any thread.</summary>
    public static RouteNetlink Open(NetworkNamespace networkNamespace) => networkNamespace.OpenRouteNetlink();

    public void Dispose() => _client.Dispose();

    private void Execute(scoped ref NetlinkWriter writer, Span<byte> buffer, NetlinkOperation operation) =>
        _client.Execute(buffer[..writer.Length], operation);

    // A delete of something already gone is done, when the caller says so (DEL must be idempotent).
    private bool ExecuteDelete(scoped ref NetlinkWriter writer, Span<byte> buffer, NetlinkOperation operation, bool missingOk)
    {
        try
        {
            Execute(ref writer, buffer, operation);
            return true;
        }
        catch (NetlinkException e) when (missingOk && e.IsNotFound)
        {
            return false;
        }
    }

    // A dump filtered by the kernel where it can; this makes sure for kernels that ignore the filter.
    private static List<T> OfInterface<T>(List<T> items, int index, Func<T, int> interfaceIndex)
    {
        if (index != 0)
            items.RemoveAll(item => interfaceIndex(item) != index);
        return items;
    }

    private List<T> Dump<T>(Span<byte> request, NetlinkOperation operation, ushort messageType, Func<ReadOnlySpan<byte>, T> decode)
    {
        var collector = new DumpCollector<T>(messageType, decode);
        _client.Dump(request, operation, collector);
        return collector.Items;
    }
}
