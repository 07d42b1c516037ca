using System.Globalization;
using System.Net;
using AzureCni.Cni;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.Allocation;

/// <summary>
/// Reservation and release on an in-memory <see cref="IpamState"/>. Pure: no I/O, no locking (the
/// caller holds the state lock), and no allocation on the reserve/release path itself.
/// </summary>
public static class AddressAllocator
{
    /// <summary>
    /// Reserves an address for (containerId, ifName): the one it already holds, the one asked for, or
    /// the least recently released free address of the best pool. Throws CniException 101 when none is free.
    /// </summary>
    public static (AddressPool Pool, AddressRecord Record) Reserve(IpamState state, string containerId, string ifName, string? subnet = null, string? ipAddress = null)
    {
        if (!string.IsNullOrEmpty(ipAddress))
        {
            return ReserveSpecific(state, containerId, ifName, subnet, ipAddress);
        }

        // A repeated ADD for the same attachment gets the same address back.
        foreach (var pool in state.Pools)
        {
            if (!Matches(pool, subnet))
            {
                continue;
            }

            foreach (var record in pool.Addresses)
            {
                if (record.IsOwnedBy(containerId, ifName))
                {
                    return (pool, record);
                }
            }
        }

        AddressPool? best = null;
        int bestFree = 0;
        foreach (var pool in state.Pools)
        {
            if (!Matches(pool, subnet))
            {
                continue;
            }

            int free = pool.FreeCount();
            if (free > 0 && (best is null || pool.Priority > best.Priority || (pool.Priority == best.Priority && free > bestFree)))
            {
                best = pool;
                bestFree = free;
            }
        }

        if (best is null)
        {
            throw NoAddress(state, subnet);
        }

        AddressRecord? chosen = null;
        foreach (var record in best.Addresses)
        {
            if (record.IsFree && (chosen is null || record.Released < chosen.Released))
            {
                chosen = record;
            }
        }

        chosen!.ContainerId = containerId;
        chosen.IfName = ifName;
        return (best, chosen);
    }

    /// <summary>
    /// Releases the address given (when its owner is this container), or every address the attachment
    /// holds. Releasing nothing is not an error. Returns how many were released.
    /// </summary>
    public static int Release(IpamState state, string containerId, string ifName, string? ipAddress = null)
    {
        int released = 0;
        string? wanted = string.IsNullOrEmpty(ipAddress) ? null : Canonical(ipAddress);
        for (int p = state.Pools.Count - 1; p >= 0; p--)
        {
            var pool = state.Pools[p];
            bool dropped = false;
            for (int i = pool.Addresses.Count - 1; i >= 0; i--)
            {
                var record = pool.Addresses[i];
                bool match = wanted is not null
                    ? string.Equals(record.Address, wanted, StringComparison.Ordinal)
                        && string.Equals(record.ContainerId, containerId, StringComparison.Ordinal)
                        && (ifName.Length == 0 || string.Equals(record.IfName ?? "", ifName, StringComparison.Ordinal))
                    : ifName.Length == 0
                        ? string.Equals(record.ContainerId, containerId, StringComparison.Ordinal)
                        : record.IsOwnedBy(containerId, ifName);
                if (match)
                {
                    dropped |= Free(state, pool, i);
                    released++;
                }
            }

            if (dropped && pool.Addresses.Count == 0)
            {
                state.Pools.RemoveAt(p);
            }
        }

        return released;
    }

    /// <summary>GC: releases every reservation whose attachment is not in <paramref name="valid"/>.</summary>
    public static int Collect(IpamState state, IReadOnlyCollection<Attachment> valid)
    {
        var keep = new HashSet<Attachment>(valid);
        int released = 0;
        for (int p = state.Pools.Count - 1; p >= 0; p--)
        {
            var pool = state.Pools[p];
            bool dropped = false;
            for (int i = pool.Addresses.Count - 1; i >= 0; i--)
            {
                var record = pool.Addresses[i];
                if (record.InUse && !keep.Contains(new Attachment(record.ContainerId!, record.IfName ?? "")))
                {
                    dropped |= Free(state, pool, i);
                    released++;
                }
            }

            if (dropped && pool.Addresses.Count == 0)
            {
                state.Pools.RemoveAt(p);
            }
        }

        return released;
    }

    /// <summary>Whether a reservation could succeed now (in the given subnet, when set).</summary>
    public static bool HasFreeAddress(IpamState state, string? subnet)
    {
        foreach (var pool in state.Pools)
        {
            if (Matches(pool, subnet) && pool.FreeCount() > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The record the attachment holds, if any.</summary>
    public static (AddressPool Pool, AddressRecord Record)? Find(IpamState state, string containerId, string ifName)
    {
        foreach (var pool in state.Pools)
        {
            foreach (var record in pool.Addresses)
            {
                if (record.IsOwnedBy(containerId, ifName))
                {
                    return (pool, record);
                }
            }
        }

        return null;
    }

    private static (AddressPool, AddressRecord) ReserveSpecific(IpamState state, string containerId, string ifName, string? subnet, string ipAddress)
    {
        string wanted = Canonical(ipAddress);
        foreach (var pool in state.Pools)
        {
            if (!Matches(pool, subnet) || pool.Find(wanted) is not { } record)
            {
                continue;
            }

            if (record.IsOwnedBy(containerId, ifName))
            {
                return (pool, record);
            }

            if (record.InUse)
            {
                throw new CniException(CniErrorCode.NoAddressAvailable,
                    $"address {wanted} is already in use by container {record.ContainerId} ({record.IfName})");
            }

            if (record.Stale)
            {
                throw new CniException(CniErrorCode.NoAddressAvailable, $"address {wanted} is no longer listed by the address source");
            }

            record.ContainerId = containerId;
            record.IfName = ifName;
            return (pool, record);
        }

        throw new CniException(CniErrorCode.NoAddressAvailable,
            $"address {wanted} is not in any pool{(string.IsNullOrEmpty(subnet) ? "" : " of subnet " + subnet)}; only addresses the source lists as secondary can be reserved");
    }

    // Returns true when the record was dropped rather than freed.
    private static bool Free(IpamState state, AddressPool pool, int index)
    {
        var record = pool.Addresses[index];
        if (record.Stale)
        {
            // The source no longer lists it: once free, it is gone.
            pool.Addresses.RemoveAt(index);
            return true;
        }

        record.ContainerId = null;
        record.IfName = null;
        record.Released = ++state.Sequence;
        return false;
    }

    private static bool Matches(AddressPool pool, string? subnet) =>
        string.IsNullOrEmpty(subnet) || string.Equals(pool.Subnet, subnet, StringComparison.Ordinal)
        || (Net.IPMath.TryParseSubnet(subnet, out var network, out int length)
            && string.Equals(pool.Subnet, Net.IPMath.FormatSubnet(network, length), StringComparison.Ordinal));

    private static string Canonical(string address) =>
        IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;

    private static CniException NoAddress(IpamState state, string? subnet)
    {
        int pools = 0;
        int addresses = 0;
        foreach (var pool in state.Pools)
        {
            if (Matches(pool, subnet))
            {
                pools++;
                addresses += pool.Addresses.Count;
            }
        }

        string scope = string.IsNullOrEmpty(subnet) ? "any pool" : "subnet " + subnet;
        return new CniException(
            CniErrorCode.NoAddressAvailable,
            pools == 0
                ? $"no available addresses: the address source lists no pool for {scope}"
                : $"no available addresses in {scope}: all {addresses.ToString(CultureInfo.InvariantCulture)} addresses of {pools.ToString(CultureInfo.InvariantCulture)} pool(s) are in use");
    }
}
