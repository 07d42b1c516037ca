using System.Net;
using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>Assigns an address; fails with EEXIST when it is already there.</summary>
    /// <param name="noDad">IPv6 only: skip duplicate address detection (IFA_F_NODAD), so the address is usable at once.</param>
    /// <remarks>Equivalent to: <c>ip addr add ADDRESS/PREFIX dev NAME [scope SCOPE] [nodad]</c>.</remarks>
    public void AddAddress(int index, IPAddress address, int prefixLength, RouteScope scope = RouteScope.Universe, bool noDad = false)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        AddressRequests.Modify(ref writer, RTM.RTM_NEWADDR, RequestFlags.Create, new AddressChange(index, address, prefixLength, scope, noDad));
        Execute(ref writer, buffer, new NetlinkOperation("add address", address.ToString()));
    }

    /// <summary>Removes an address; with <paramref name="missingOk"/> an address that is not there is success.</summary>
    /// <returns>True when an address was removed.</returns>
    /// <remarks>Equivalent to: <c>ip addr del ADDRESS/PREFIX dev NAME</c>.</remarks>
    public bool DeleteAddress(int index, IPAddress address, int prefixLength, bool missingOk = false)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        AddressRequests.Modify(ref writer, RTM.RTM_DELADDR, RequestFlags.Acknowledged, new AddressChange(index, address, prefixLength, RouteScope.Universe, NoDad: false));
        return ExecuteDelete(ref writer, buffer, new NetlinkOperation("delete address", address.ToString()), missingOk);
    }

    /// <summary>Lists addresses, optionally of one interface and one family.</summary>
    /// <remarks>Equivalent to: <c>ip [-4|-6] addr show [dev NAME]</c>.</remarks>
    public IReadOnlyList<AddressInfo> ListAddresses(int index = 0, AddressFamily family = AddressFamily.Unspecified)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        AddressRequests.Dump(ref writer, AddressEncoding.FamilyOf(family), index);
        return OfInterface(Dump(buffer[..writer.Length], new NetlinkOperation("list addresses"), RTM.RTM_NEWADDR, ReplyDecoder.DecodeAddress), index, static a => a.InterfaceIndex);
    }
}
