using System.Net.NetworkInformation;

namespace AzureCni.Netlink;

/// <summary>A network interface as the kernel reports it (RTM_NEWLINK).</summary>
public sealed record LinkInfo
{
    /// <summary>ifindex.</summary>
    public required int Index { get; init; }

    /// <summary>IFLA_IFNAME.</summary>
    public required string Name { get; init; }

    /// <summary>IFLA_ADDRESS; null for links without one.</summary>
    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>IFLA_MTU.</summary>
    public int Mtu { get; init; }

    /// <summary>IFLA_MASTER (e.g. the bridge of a bridge port); null when none.</summary>
    public int? MasterIndex { get; init; }

    /// <summary>IFLA_LINK (a veth's peer, a macvlan's lower device); null when none or the same link.</summary>
    public int? ParentIndex { get; init; }

    /// <summary>IFLA_INFO_KIND ("veth", "bridge", ...); null for physical and loopback links.</summary>
    public string? Kind { get; init; }

    /// <summary>IFLA_OPERSTATE (RFC 2863).</summary>
    public LinkOperState OperState { get; init; }

    /// <summary>ifi_flags (IFF_UP = 0x1, ...).</summary>
    public uint Flags { get; init; }

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
