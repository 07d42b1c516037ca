using System.Net;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*NEIGH requests.</summary>
internal static class NeighborRequests
{
    /// <summary>RTM_NEWNEIGH (add/replace) or RTM_DELNEIGH of <paramref name="address"/> on <paramref name="index"/>.</summary>
    public static void Modify(ref NetlinkWriter writer, ushort messageType, ushort flags, int index, IPAddress address,
        scoped ReadOnlySpan<byte> mac, NeighborState state)
    {
        Span<byte> bytes = stackalloc byte[16];
        writer.BeginMessage(messageType, flags);
        scoped var message = new NeighborMessage
        {
            Header = new ndmsg { ndm_family = AddressEncoding.FamilyOf(address), ndm_ifindex = index, ndm_state = (ushort)state },
        };
        message.Attributes.Destination = AddressEncoding.Bytes(address, bytes);
        message.Attributes.LinkLayerAddress = mac;
        NeighborMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_GETNEIGH dump of one family; strict checking wants the interface filter as NDA_IFINDEX, not in the header.</summary>
    public static void Dump(ref NetlinkWriter writer, byte family, int index)
    {
        writer.BeginMessage(RTM.RTM_GETNEIGH, RequestFlags.Dump);
        scoped var message = new NeighborMessage { Header = new ndmsg { ndm_family = family } };
        message.Attributes.InterfaceIndex = index == 0 ? null : index;
        NeighborMessage.Write(message, ref writer);
        writer.EndMessage();
    }
}
