using System.Globalization;
using System.Net;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
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
    /// Reserves an address for the attachment (network, containerId, ifName): the one it already holds,
    /// the one asked for, or the least recently released free address of the best pool. Only pools in
    /// <see cref="ReserveOptions.Scope"/> (the subnets the caller's source lists; null: all) and of
    /// <see cref="ReserveOptions.Subnet"/> (when set) qualify. Throws CniException 101 when none is free.
    /// </summary>
    public static (AddressPool Pool, AddressRecord Record) Reserve(
        IpamState state, string network, string containerId, string ifName, ReserveOptions? options = null)
    {
        if (options?.IpAddress is { Length: > 0 } ipAddress)
            return ReserveSpecific(state, (network, containerId, ifName), options.Subnet, ipAddress, options.Scope);

        return ReserveIn(state, (network, containerId, ifName), options?.Subnet, options?.Scope, Family.Any, out _);
    }

    /// <summary>
    /// ADD's reservation: as <see cref="Reserve"/>, but when the qualifying pools hold both address families (a
    /// dual-stack node) one address of each, IPv4 first. All or nothing: when the second family has no free address
    /// the first is handed back as it was, and the 101 of the second is thrown.
    /// </summary>
    public static Reservation ReserveEachFamily(
        IpamState state, string network, string containerId, string ifName, ReserveOptions? options = null)
    {
        string? subnet = options?.Subnet;
        IReadOnlyList<string>? scope = options?.Scope;
        if (options?.IpAddress is { Length: > 0 } || !HasPoolsOfBothFamilies(state, subnet, scope))
            return new Reservation(Reserve(state, network, containerId, ifName, options));

        var owner = (network, containerId, ifName);
        var v4 = ReserveIn(state, owner, subnet, scope, Family.V4, out bool taken);
        try
        {
            return new Reservation(v4, ReserveIn(state, owner, subnet, scope, Family.V6, out _));
        }
        catch (CniException) when (taken)
        {
            // Only the owner changed when the IPv4 address was taken: clearing it restores the record exactly.
            Disown(v4.Record);
            throw;
        }
    }

    // The attachment's address in the qualifying pools of the family (a repeated ADD), else the least recently
    // released free one of the best pool; 'taken' says whether a free address changed hands.
    private static (AddressPool Pool, AddressRecord Record) ReserveIn(
        IpamState state, (string Network, string ContainerId, string IfName) owner, string? subnet, IReadOnlyList<string>? scope, Family family, out bool taken)
    {
        var (network, containerId, ifName) = owner;
        taken = false;

        // A repeated ADD for the same attachment gets the same address back.
        foreach (var pool in state.Pools)
        {
            if (!Matches(pool, subnet, scope, family))
                continue;

            foreach (var record in pool.Addresses)
            {
                if (record.IsOwnedBy(network, containerId, ifName))
                    return (pool, record);
            }
        }

        AddressPool? best = null;
        int bestFree = 0;
        foreach (var pool in state.Pools)
        {
            if (!Matches(pool, subnet, scope, family))
                continue;

            int free = pool.FreeCount();
            if (free > 0 && (best is null || pool.Priority > best.Priority || (pool.Priority == best.Priority && free > bestFree)))
            {
                best = pool;
                bestFree = free;
            }
        }

        if (best is null)
            throw NoAddress(state, subnet, scope, family);

        AddressRecord? chosen = null;
        foreach (var record in best.Addresses)
        {
            if (record.IsFree && (chosen is null || record.Released < chosen.Released))
                chosen = record;
        }

        Own(chosen!, network, containerId, ifName);
        taken = true;
        return (best, chosen!);
    }

    /// <summary>Whether the qualifying pools hold both address families: ADD then reserves one address of each.</summary>
    public static bool HasPoolsOfBothFamilies(IpamState state, string? subnet, IReadOnlyList<string>? scope)
    {
        bool v4 = false;
        bool v6 = false;
        foreach (var pool in state.Pools)
        {
            if (Matches(pool, subnet, scope))
            {
                v4 |= !pool.IsIPv6;
                v6 |= pool.IsIPv6;
            }
        }

        return v4 && v6;
    }

    /// <summary>
    /// Releases the address given (when its owner is this container of this network), or every address
    /// the attachment holds (all of the container's in the network when ifName is ""). Releasing
    /// nothing is not an error. Returns how many were released.
    /// </summary>
    public static int Release(IpamState state, string network, string containerId, string ifName, string? ipAddress = null)
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
                bool match = record.InUse
                    && string.Equals(record.ContainerId, containerId, StringComparison.Ordinal)
                    && (record.IsAdopted
                        || (record.IsInNetwork(network) && (ifName.Length == 0 || string.Equals(record.IfName ?? "", ifName, StringComparison.Ordinal))))
                    && (wanted is null || string.Equals(record.Address, wanted, StringComparison.Ordinal));
                if (match)
                {
                    dropped |= Free(state, pool, i);
                    released++;
                }
            }

            if (dropped && pool.Addresses.Count == 0)
                state.Pools.RemoveAt(p);
        }

        return released;
    }

    /// <summary>
    /// GC: releases every reservation of <paramref name="network"/> whose attachment is not in <paramref name="valid"/>,
    /// and every one adopted from upstream (<see cref="AddressRecord.IsAdopted"/>: any attachment of its container owns
    /// it, as for DEL) whose container no valid attachment names.
    /// </summary>
    public static int Collect(IpamState state, string network, IReadOnlyCollection<GcAttachment> valid)
    {
        var keep = new HashSet<(string, string)>();
        var containers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in valid)
        {
            keep.Add((attachment.ContainerId ?? "", attachment.IfName ?? ""));
            containers.Add(attachment.ContainerId ?? "");
        }
        int released = 0;
        for (int p = state.Pools.Count - 1; p >= 0; p--)
        {
            var pool = state.Pools[p];
            bool dropped = false;
            for (int i = pool.Addresses.Count - 1; i >= 0; i--)
            {
                var record = pool.Addresses[i];
                bool collect = record.IsAdopted
                    ? !containers.Contains(record.ContainerId!)
                    : record.InUse && record.IsInNetwork(network) && !keep.Contains((record.ContainerId!, record.IfName ?? ""));
                if (collect)
                {
                    dropped |= Free(state, pool, i);
                    released++;
                }
            }

            if (dropped && pool.Addresses.Count == 0)
                state.Pools.RemoveAt(p);
        }

        return released;
    }

    /// <summary>Whether a new attachment's ADD could succeed now (in the given subnet, when set): on a dual-stack node, in both families.</summary>
    public static bool HasFreeAddress(IpamState state, string? subnet, IReadOnlyList<string>? scope = null)
    {
        if (!HasPoolsOfBothFamilies(state, subnet, scope))
            return HasFreeAddress(state, subnet, scope, Family.Any);

        return HasFreeAddress(state, subnet, scope, Family.V4) && HasFreeAddress(state, subnet, scope, Family.V6);
    }

    private static bool HasFreeAddress(IpamState state, string? subnet, IReadOnlyList<string>? scope, Family family)
    {
        foreach (var pool in state.Pools)
        {
            if (Matches(pool, subnet, scope, family) && pool.FreeCount() > 0)
                return true;
        }

        return false;
    }

    /// <summary>The record the attachment holds, if any (the first, IPv4 on a dual-stack node; <see cref="FindAll"/> has both).</summary>
    public static (AddressPool Pool, AddressRecord Record)? Find(IpamState state, string network, string containerId, string ifName)
    {
        foreach (var pool in state.Pools)
        {
            foreach (var record in pool.Addresses)
            {
                if (record.IsOwnedBy(network, containerId, ifName))
                    return (pool, record);
            }
        }

        return null;
    }

    /// <summary>Every record the attachment holds (one per family on a dual-stack node), IPv4 first.</summary>
    public static List<(AddressPool Pool, AddressRecord Record)> FindAll(IpamState state, string network, string containerId, string ifName)
    {
        // One pass per family rather than a sort: a delegate over a tuple of references makes NativeAOT keep its
        // runtime type loader (StartupCostRulesTests).
        var held = new List<(AddressPool Pool, AddressRecord Record)>(2);
        foreach (bool ipv6 in (ReadOnlySpan<bool>)[false, true])
        {
            foreach (var pool in state.Pools)
            {
                if (pool.IsIPv6 != ipv6)
                    continue;
                foreach (var record in pool.Addresses)
                {
                    if (record.IsOwnedBy(network, containerId, ifName))
                        held.Add((pool, record));
                }
            }
        }

        return held;
    }

    private static (AddressPool, AddressRecord) ReserveSpecific(
        IpamState state, (string Network, string ContainerId, string IfName) owner, string? subnet, string ipAddress, IReadOnlyList<string>? scope)
    {
        var (network, containerId, ifName) = owner;
        string wanted = Canonical(ipAddress);
        foreach (var pool in state.Pools)
        {
            if (!Matches(pool, subnet, scope) || pool.Find(wanted) is not { } record)
                continue;

            if (record.IsOwnedBy(network, containerId, ifName))
                return (pool, record);

            if (record.InUse)
            {
                throw new CniException(CniErrorCode.NoAddressAvailable,
                    $"address {wanted} is already in use by container {record.ContainerId} ({record.IfName})");
            }

            if (record.Stale)
                throw new CniException(CniErrorCode.NoAddressAvailable, $"address {wanted} is no longer listed by the address source");

            Own(record, network, containerId, ifName);
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

        record.Network = null;
        record.ContainerId = null;
        record.IfName = null;
        record.Released = ++state.Sequence;
        return false;
    }

    private static void Disown(AddressRecord record)
    {
        record.Network = null;
        record.ContainerId = null;
        record.IfName = null;
    }

    private static void Own(AddressRecord record, string network, string containerId, string ifName)
    {
        // "" is stored as absent, so that records of callers without a network name stay compact.
        record.Network = network.Length == 0 ? null : network;
        record.ContainerId = containerId;
        record.IfName = ifName;
    }

    private static bool Matches(AddressPool pool, string? subnet, IReadOnlyList<string>? scope, Family family = Family.Any) =>
        (family == Family.Any || pool.IsIPv6 == (family == Family.V6))
        && (scope is null || Contains(scope, pool.Subnet)) && MatchesSubnet(pool, subnet);

    private static bool Contains(IReadOnlyList<string> scope, string subnet)
    {
        for (int i = 0; i < scope.Count; i++)
        {
            if (string.Equals(scope[i], subnet, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    private static bool MatchesSubnet(AddressPool pool, string? subnet) =>
        string.IsNullOrEmpty(subnet) || string.Equals(pool.Subnet, subnet, StringComparison.Ordinal)
        || (IPText.TryParseNetwork(subnet, out IPNetwork network)
            && string.Equals(pool.Subnet, network.ToString(), StringComparison.Ordinal));

    private static string Canonical(string address) =>
        IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;

    private static CniException NoAddress(IpamState state, string? subnet, IReadOnlyList<string>? scope, Family family)
    {
        int pools = 0;
        int addresses = 0;
        foreach (var pool in state.Pools)
        {
            if (Matches(pool, subnet, scope, family))
            {
                pools++;
                addresses += pool.Addresses.Count;
            }
        }

        string where = (string.IsNullOrEmpty(subnet) ? "any pool" : "subnet " + subnet) + family switch
        {
            Family.V4 => " (IPv4)",
            Family.V6 => " (IPv6)",
            _ => "",
        };
        return new CniException(
            CniErrorCode.NoAddressAvailable,
            pools == 0
                ? $"no available addresses: the address source lists no pool for {where}"
                : $"no available addresses in {where}: all {addresses.ToString(CultureInfo.InvariantCulture)} addresses of {pools.ToString(CultureInfo.InvariantCulture)} pool(s) are in use");
    }
}

/// <summary>What one ADD reserved: one address per address family its pools hold, IPv4 first.</summary>
public readonly record struct Reservation((AddressPool Pool, AddressRecord Record) First, (AddressPool Pool, AddressRecord Record)? Second = null);

/// <summary>The address family a reservation is made in.</summary>
internal enum Family
{
    Any,
    V4,
    V6,
}

/// <summary>What an ADD may ask of its address: a subnet, a specific address, and the pools its source lists.</summary>
public sealed record ReserveOptions(string? Subnet = null, string? IpAddress = null, IReadOnlyList<string>? Scope = null);
