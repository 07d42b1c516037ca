using System.Net;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*NEIGH requests.</summary>
internal static class NeighborRequests
{
    /// <summary>RTM_NEWNEIGH (add/replace) or RTM_DELNEIGH of the change's address on its interface.</summary>
    public static void Modify(ref NetlinkWriter writer, ushort messageType, ushort flags, in NeighborChange change)
    {
        Span<byte> bytes = stackalloc byte[16];
        writer.BeginMessage(messageType, flags);
        scoped var message = new NeighborMessage
        {
            Header = new ndmsg { ndm_family = AddressEncoding.FamilyOf(change.Address), ndm_ifindex = change.Index, ndm_state = (ushort)change.State },
        };
        message.Attributes.Destination = AddressEncoding.Bytes(change.Address, bytes);
        message.Attributes.LinkLayerAddress = change.Mac;
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

/// <summary>The neighbour entry an RTM_NEWNEIGH / RTM_DELNEIGH names (no MAC for a delete).</summary>
internal readonly record struct NeighborChange(int Index, IPAddress Address, byte[]? Mac, NeighborState State);
