using System.Net.NetworkInformation;

namespace AzureCni.Netlink;

/// <summary>A network interface as the kernel reports it (RTM_NEWLINK).</summary>
/// <param name="Index">ifindex.</param>
/// <param name="Name">IFLA_IFNAME.</param>
/// <param name="MacAddress">IFLA_ADDRESS; null for links without one.</param>
/// <param name="Mtu">IFLA_MTU.</param>
/// <param name="MasterIndex">IFLA_MASTER (e.g. the bridge of a bridge port); null when none.</param>
/// <param name="ParentIndex">IFLA_LINK (a veth's peer, a macvlan's lower device); null when none or the same link.</param>
/// <param name="Kind">IFLA_INFO_KIND ("veth", "bridge", ...); null for physical and loopback links.</param>
/// <param name="OperState">IFLA_OPERSTATE (RFC 2863).</param>
/// <param name="Flags">ifi_flags (IFF_UP = 0x1, ...).</param>
public sealed record LinkInfo(
    int Index,
    string Name,
    PhysicalAddress? MacAddress,
    int Mtu,
    int? MasterIndex,
    int? ParentIndex,
    string? Kind,
    LinkOperState OperState,
    uint Flags)
{
    /// <summary>IFF_UP: administratively up.</summary>
    public bool IsUp => (Flags & Interop.Kernel.IFF.IFF_UP) != 0;
}

/// <summary>RFC 2863 operational state (IF_OPER_*).</summary>
public enum LinkOperState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}

/// <summary>macvlan modes (MACVLAN_MODE_*).</summary>
public enum MacvlanMode : uint
{
    Private = 1,
    Vepa = 2,
    Bridge = 4,
    Passthru = 8,
    Source = 16,
}
