using System.Net;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.Allocation;

/// <summary>
/// Folds a fresh listing from the source into the stored pools without disturbing reservations:
/// new pools and addresses appear, vanished free addresses go, vanished reserved ones turn stale and
/// are dropped at their release. Pools are shared by subnet; a pool no source lists any more goes
/// once nothing in it is reserved.
/// </summary>
public static class PoolMerger
{
    public static void Merge(IpamState state, string sourceIdentity, List<AddressPool> fresh)
    {
        var status = state.GetOrAddSource(sourceIdentity);
        status.Listed = true;
        status.Error = null;
        status.Subnets = fresh.ConvertAll(static p => p.Subnet);
        TakeOver(state, status);

        foreach (var incoming in fresh)
        {
            var pool = state.Pools.Find(p => string.Equals(p.Subnet, incoming.Subnet, StringComparison.Ordinal));
            if (pool is null)
            {
                AdoptReservations(state, incoming);
                state.Pools.Add(incoming);
                continue;
            }

            pool.IfName = incoming.IfName;
            pool.Gateway = incoming.Gateway;
            pool.Priority = incoming.Priority;

            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in incoming.Addresses)
            {
                listed.Add(record.Address);
                var existing = pool.Find(record.Address);
                if (existing is null)
                    pool.Addresses.Add(record);
                else
                    existing.Stale = false;
            }

            Retire(pool, listed);
            pool.Addresses.SortStable(static (a, b) => IPText.Compare(IPAddress.Parse(a.Address), IPAddress.Parse(b.Address)));
        }

        for (int i = state.Pools.Count - 1; i >= 0; i--)
        {
            var pool = state.Pools[i];
            if (state.Sources.Exists(s => s.Subnets.ContainsOrdinal(pool.Subnet)))
                continue;

            Retire(pool, listed: null);
            if (pool.Addresses.Count == 0)
                state.Pools.RemoveAt(i);
        }
    }

    // A subnet belongs to one source. When another source lists it, that source loses it (its pool is
    // replaced below, never merged into) and must query again before it allocates there: until then its
    // callers cannot be handed an address only the new source listed.
    private static void TakeOver(IpamState state, SourceStatus owner)
    {
        foreach (var other in state.Sources)
        {
            if (ReferenceEquals(other, owner) || other.Subnets.RemoveAll(owner.Subnets.ContainsOrdinal) == 0)
                continue;

            other.Listed = false;
            other.LastQuery = 0;
        }
    }

    // A new pool takes over the reservations other pools hold on its addresses (a pool of another prefix, e.g. one
    // rebuilt from the result cache): an address in use is never handed out again, whatever pool recorded it.
    private static void AdoptReservations(IpamState state, AddressPool incoming)
    {
        var subnet = IPNetwork.Parse(incoming.Subnet);
        foreach (var other in state.Pools)
        {
            for (int i = other.Addresses.Count - 1; i >= 0; i--)
            {
                var held = other.Addresses[i];
                if (!held.InUse || !subnet.Contains(IPAddress.Parse(held.Address)))
                    continue;

                int mine = incoming.Addresses.FindIndex(r => string.Equals(r.Address, held.Address, StringComparison.Ordinal));
                if (mine < 0)
                    continue;

                held.Stale = false;
                incoming.Addresses[mine] = held;
                other.Addresses.RemoveAt(i);
            }
        }
    }

    // Addresses not in 'listed' (all, when null): free ones are dropped, reserved ones marked stale.
    private static void Retire(AddressPool pool, HashSet<string>? listed)
    {
        pool.Addresses.RemoveAll(r => (listed is null || !listed.Contains(r.Address)) && !r.InUse);
        foreach (var record in pool.Addresses)
        {
            if (listed is null || !listed.Contains(record.Address))
                record.Stale = true;
        }
    }
}
