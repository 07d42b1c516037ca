using System.Globalization;
using System.Net;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.State.Upstream;

/// <summary>
/// Upstream's IPAM state to ours and back. Upstream records only the container ID of an owner; a converted
/// reservation keeps it with no network and no interface name, which a DEL of that container releases
/// (<see cref="AddressRecord.IsAdopted"/>).
/// </summary>
public static class UpstreamIpamConversion
{
    public static IpamState ToOurs(UpstreamIpamFile file)
    {
        var state = new IpamState { Version = IpamState.CurrentVersion };
        if (file.Ipam?.AddressSpaces is not { } spaces)
            return state;

        foreach (var space in spaces.Values)
        {
            if (space.Pools is null)
                continue;

            foreach (var (key, upstream) in space.Pools)
            {
                var pool = new AddressPool
                {
                    Subnet = key,
                    IfName = upstream.IfName,
                    Gateway = upstream.Gateway,
                    Priority = upstream.Priority,
                };
                foreach (var (address, record) in upstream.Addresses ?? new Dictionary<string, UpstreamAddress>())
                {
                    pool.Addresses.Add(new AddressRecord
                    {
                        Address = record.Addr.Length > 0 ? record.Addr : address,
                        ContainerId = record.InUse ? record.ID : null,
                    });
                }

                pool.Addresses.SortStable(static (a, b) => IPText.Compare(IPAddress.Parse(a.Address), IPAddress.Parse(b.Address)));
                state.Pools.Add(pool);
            }
        }

        return state;
    }

    /// <summary>Our state in upstream's shape: one "local" address space, every reservation with its container ID.</summary>
    public static UpstreamIpamFile ToUpstream(IpamState state, string version, DateTime utcNow)
    {
        var pools = new Dictionary<string, UpstreamPool>(StringComparer.Ordinal);
        foreach (var pool in state.Pools)
        {
            var addresses = new Dictionary<string, UpstreamAddress>(StringComparer.Ordinal);
            bool used = false;
            foreach (var record in pool.Addresses)
            {
                used |= record.InUse;
                addresses[record.Address] = new UpstreamAddress { ID = record.ContainerId ?? "", Addr = record.Address, InUse = record.InUse };
            }

            var subnet = UpstreamIPNet.FromCidr(pool.Subnet);
            pools[pool.Subnet] = new UpstreamPool
            {
                Id = pool.Subnet,
                IfName = pool.IfName,
                Subnet = subnet,
                Gateway = pool.Gateway,
                Addresses = addresses,
                IsIPv6 = subnet.IP.Contains(':', StringComparison.Ordinal),
                Priority = pool.Priority,
                RefCount = used ? 1 : 0,
            };
        }

        return new UpstreamIpamFile
        {
            Ipam = new UpstreamIpam
            {
                Version = version,
                TimeStamp = utcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                AddressSpaces = new(StringComparer.Ordinal)
                {
                    ["local"] = new UpstreamAddressSpace { Id = "local", Scope = 0, Pools = pools },
                },
            },
        };
    }
}
