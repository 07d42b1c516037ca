using System.Net;
using System.Net.NetworkInformation;

namespace AzureCni.Netlink;

/// <summary>A neighbour (ARP / NDP) entry (RTM_NEWNEIGH).</summary>
public sealed record NeighborEntry(int InterfaceIndex, IPAddress Address, PhysicalAddress? MacAddress, NeighborState State);

/// <summary>Neighbour cache states (NUD_*).</summary>
[Flags]
public enum NeighborState : ushort
{
    None = 0x00,
    Incomplete = 0x01,
    Reachable = 0x02,
    Stale = 0x04,
    Delay = 0x08,
    Probe = 0x10,
    Failed = 0x20,
    NoArp = 0x40,
    Permanent = 0x80,
}
