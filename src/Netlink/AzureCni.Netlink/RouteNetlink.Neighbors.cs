using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>Adds a neighbour entry; fails with EEXIST when one exists for the address.</summary>
    /// <remarks>Equivalent to: <c>ip neigh add ADDRESS lladdr MAC dev NAME nud STATE</c>.</remarks>
    public void AddNeighbor(int index, IPAddress address, PhysicalAddress? macAddress, NeighborState state = NeighborState.Permanent) =>
        ModifyNeighbor(RTM.RTM_NEWNEIGH, RequestFlags.Create, new NeighborChange(index, address, macAddress?.GetAddressBytes(), state), "add neighbour");

    /// <summary>Adds or overwrites a neighbour entry.</summary>
    /// <remarks>Equivalent to: <c>ip neigh replace ADDRESS lladdr MAC dev NAME nud STATE</c>.</remarks>
    public void ReplaceNeighbor(int index, IPAddress address, PhysicalAddress? macAddress, NeighborState state = NeighborState.Permanent) =>
        ModifyNeighbor(RTM.RTM_NEWNEIGH, RequestFlags.Replace, new NeighborChange(index, address, macAddress?.GetAddressBytes(), state), "replace neighbour");

    /// <summary>Deletes a neighbour entry; with <paramref name="missingOk"/> an entry that is not there is success.</summary>
    /// <returns>True when an entry was deleted.</returns>
    /// <remarks>Equivalent to: <c>ip neigh del ADDRESS dev NAME</c>.</remarks>
    public bool DeleteNeighbor(int index, IPAddress address, bool missingOk = false)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        NeighborRequests.Modify(ref writer, RTM.RTM_DELNEIGH, RequestFlags.Acknowledged, new NeighborChange(index, address, null, NeighborState.None));
        return ExecuteDelete(ref writer, buffer, new NetlinkOperation("delete neighbour", address.ToString()), missingOk);
    }

    /// <summary>Lists neighbour entries, optionally of one interface and one family.</summary>
    /// <remarks>Equivalent to: <c>ip [-4|-6] neigh show [dev NAME]</c>.</remarks>
    public IReadOnlyList<NeighborEntry> ListNeighbors(int index = 0, AddressFamily family = AddressFamily.Unspecified)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        NeighborRequests.Dump(ref writer, AddressEncoding.FamilyOf(family), index);
        return OfInterface(Dump(buffer[..writer.Length], new NetlinkOperation("list neighbours"), RTM.RTM_NEWNEIGH, ReplyDecoder.DecodeNeighbor), index, static n => n.InterfaceIndex);
    }

    private void ModifyNeighbor(ushort messageType, ushort flags, in NeighborChange change, string action)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        NeighborRequests.Modify(ref writer, messageType, flags, in change);
        Execute(ref writer, buffer, new NetlinkOperation(action, change.Address.ToString()));
    }
}
