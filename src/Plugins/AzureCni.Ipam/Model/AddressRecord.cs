using AzureCni.Json;

namespace AzureCni.Ipam.Model;

/// <summary>One address of a pool and, while reserved, its owner: a (network, container ID, interface name) attachment.</summary>
[CniJsonObject]
public sealed partial class AddressRecord
{
    public string Address { get; set; } = "";

    /// <summary>The owner's network (the config's "name"): GC of one network never touches another's.</summary>
    public string? Network { get; set; }

    /// <summary>The owner's container ID; null while the address is free.</summary>
    public string? ContainerId { get; set; }

    /// <summary>The owner's interface name inside the container (CNI_IFNAME).</summary>
    public string? IfName { get; set; }

    /// <summary>The source no longer lists this address: it is dropped as soon as it is free.</summary>
    public bool Stale { get; set; }

    /// <summary>The state's <see cref="IpamState.Sequence"/> at the last release; 0 when never used.</summary>
    public long Released { get; set; }

    public bool InUse => ContainerId is not null;

    public bool IsFree => ContainerId is null && !Stale;

    /// <summary>
    /// Reserved by upstream Azure CNI before this node was taken over: its owner is known by container ID only
    /// (no network, no interface name), so any attachment of that container owns it.
    /// </summary>
    public bool IsAdopted => ContainerId is not null && Network is null && IfName is null;

    public bool IsOwnedBy(string network, string containerId, string ifName) =>
        ContainerId is not null
        && string.Equals(ContainerId, containerId, StringComparison.Ordinal)
        && (IsAdopted
            || (string.Equals(IfName ?? "", ifName, StringComparison.Ordinal)
                && string.Equals(Network ?? "", network, StringComparison.Ordinal)));

    public bool IsInNetwork(string network) => string.Equals(Network ?? "", network, StringComparison.Ordinal);
}
