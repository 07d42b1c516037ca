using AzureCni.Cni.Types;
using AzureCni.Cni;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;

namespace AzureCni.Ipam.Tests.Unit;

public partial class AllocatorTests
{
    private static IpamState State(params string[] addresses)
    {
        var state = new IpamState();
        var pool = new AddressPool { Subnet = "10.240.0.0/16", Gateway = "10.240.0.1" };
        foreach (string address in addresses)
            pool.Addresses.Add(new AddressRecord { Address = address });

        state.Pools.Add(pool);
        return state;
    }

    [Fact]
    public void ThreeOwnersGetThreeDistinctAddressesAndTheFourthGets101()
    {
        var state = State("10.240.0.5", "10.240.0.6", "10.240.0.7");
        var got = Enumerable.Range(0, 3).Select(i => AddressAllocator.Reserve(state, "net", "c" + i, "eth0").Record.Address).ToList();
        Assert.Equal(3, got.Distinct().Count());

        var error = Assert.Throws<CniException>(() => AddressAllocator.Reserve(state, "net", "c3", "eth0"));
        Assert.Equal(CniErrorCode.NoAddressAvailable, error.Code);
        Assert.Contains("no available addresses", error.Message, StringComparison.Ordinal);
        Assert.False(AddressAllocator.HasFreeAddress(state, null));
    }

    [Fact]
    public void RepeatedReserveReturnsTheSameAddressPerAttachment()
    {
        var state = State("10.240.0.5", "10.240.0.6");
        string first = AddressAllocator.Reserve(state, "net", "c", "eth0").Record.Address;
        Assert.Equal(first, AddressAllocator.Reserve(state, "net", "c", "eth0").Record.Address);
        Assert.NotEqual(first, AddressAllocator.Reserve(state, "net", "c", "eth1").Record.Address);
    }

    [Fact]
    public void ReleaseByOwnerOrAddressIsIdempotent()
    {
        var state = State("10.240.0.5", "10.240.0.6");
        string a = AddressAllocator.Reserve(state, "net", "a", "eth0").Record.Address;
        string b = AddressAllocator.Reserve(state, "net", "b", "eth0").Record.Address;
        Assert.NotEqual(a, b);

        Assert.Equal(0, AddressAllocator.Release(state, "net", "b", "eth0", a)); // a is not b's
        Assert.Equal(2, state.InUseCount()); // the refused release freed nothing
        Assert.Equal(1, AddressAllocator.Release(state, "net", "a", "eth0", a));
        Assert.Equal(0, AddressAllocator.Release(state, "net", "a", "eth0", a));
        Assert.Equal(1, AddressAllocator.Release(state, "net", "b", "eth0"));
        Assert.Equal(0, AddressAllocator.Release(state, "net", "b", "eth0"));
        Assert.Equal(0, state.InUseCount());
        // Both addresses are free again: two new owners get exactly them.
        string[] reused = [AddressAllocator.Reserve(state, "net", "c", "eth0").Record.Address, AddressAllocator.Reserve(state, "net", "d", "eth0").Record.Address];
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), reused.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LeastRecentlyReleasedAddressGoesOutFirst()
    {
        var state = State("10.240.0.5", "10.240.0.6", "10.240.0.7");
        Assert.Equal("10.240.0.5", AddressAllocator.Reserve(state, "net", "a", "eth0").Record.Address);
        AddressAllocator.Release(state, "net", "a", "eth0");
        // .5 was just released: the never-used .6 comes next, then .7, and .5 only after them.
        Assert.Equal("10.240.0.6", AddressAllocator.Reserve(state, "net", "b", "eth0").Record.Address);
        Assert.Equal("10.240.0.7", AddressAllocator.Reserve(state, "net", "c", "eth0").Record.Address);
        Assert.Equal("10.240.0.5", AddressAllocator.Reserve(state, "net", "d", "eth0").Record.Address);
    }

    [Fact]
    public void SpecificAddressIsReservedOrRefused()
    {
        var state = State("10.240.0.5", "10.240.0.6");
        Assert.Equal("10.240.0.6", AddressAllocator.Reserve(state, "net", "a", "eth0", new ReserveOptions(IpAddress: "10.240.0.6")).Record.Address);
        Assert.Equal("10.240.0.6", AddressAllocator.Reserve(state, "net", "a", "eth0", new ReserveOptions(IpAddress: "10.240.0.6")).Record.Address);
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => AddressAllocator.Reserve(state, "net", "b", "eth0", new ReserveOptions(IpAddress: "10.240.0.6"))).Code);
        Assert.Throws<CniException>(() => AddressAllocator.Reserve(state, "net", "b", "eth0", new ReserveOptions(IpAddress: "10.240.0.4")));
        Assert.Throws<CniException>(() => AddressAllocator.Reserve(state, "net", "b", "eth0", new ReserveOptions(Subnet: "10.1.0.0/24")));
        Assert.Equal("10.240.0.5", AddressAllocator.Reserve(state, "net", "b", "eth0", new ReserveOptions(Subnet: "10.240.0.0/16")).Record.Address);
    }

    [Fact]
    public void PrefersHigherPriorityThenMoreFreeAddresses()
    {
        var state = new IpamState();
        state.Pools.Add(new AddressPool { Subnet = "10.0.0.0/24", Gateway = "10.0.0.1", Priority = 0, Addresses = [new() { Address = "10.0.0.5" }, new() { Address = "10.0.0.6" }, new() { Address = "10.0.0.7" }] });
        state.Pools.Add(new AddressPool { Subnet = "10.1.0.0/24", Gateway = "10.1.0.1", Priority = 1, Addresses = [new() { Address = "10.1.0.5" }] });
        Assert.Equal("10.1.0.0/24", AddressAllocator.Reserve(state, "net", "a", "eth0").Pool.Subnet);
        Assert.Equal("10.0.0.0/24", AddressAllocator.Reserve(state, "net", "b", "eth0").Pool.Subnet);
    }

    [Fact]
    public void GcReleasesEverythingNotValid()
    {
        var state = State("10.240.0.5", "10.240.0.6", "10.240.0.7");
        AddressAllocator.Reserve(state, "net", "a", "eth0");
        AddressAllocator.Reserve(state, "net", "b", "eth0");
        AddressAllocator.Reserve(state, "net", "c", "net1");

        Assert.Equal(1, AddressAllocator.Collect(state, "net", [new GcAttachment { ContainerId = "a", IfName = "eth0" }, new GcAttachment { ContainerId = "c", IfName = "net1" }, new GcAttachment { ContainerId = "b", IfName = "net1" }]));
        Assert.NotNull(AddressAllocator.Find(state, "net", "a", "eth0"));
        Assert.Null(AddressAllocator.Find(state, "net", "b", "eth0"));
        Assert.Equal(2, AddressAllocator.Collect(state, "net", []));
        Assert.Equal(0, state.InUseCount());
    }

    [Fact]
    public void VanishedAddressesAreDroppedOnceFree()
    {
        var state = State("10.240.0.5", "10.240.0.6", "10.240.0.7");
        AddressAllocator.Reserve(state, "net", "a", "eth0", new ReserveOptions(IpAddress: "10.240.0.5"));

        // The fabric now lists only .7 and a new .8.
        var fresh = new AddressPool { Subnet = "10.240.0.0/16", Gateway = "10.240.0.1", Addresses = [new() { Address = "10.240.0.8" }, new() { Address = "10.240.0.7" }] };
        PoolMerger.Merge(state, "src", [fresh]);
        var pool = Assert.Single(state.Pools);
        Assert.Equal(["10.240.0.5", "10.240.0.7", "10.240.0.8"], pool.Addresses.Select(r => r.Address));
        Assert.True(pool.Find("10.240.0.5")!.Stale);
        Assert.True(pool.Find("10.240.0.5")!.InUse);

        // The stale address is never handed out, and disappears at its release.
        Assert.NotEqual("10.240.0.5", AddressAllocator.Reserve(state, "net", "b", "eth0").Record.Address);
        AddressAllocator.Release(state, "net", "a", "eth0");
        Assert.Null(pool.Find("10.240.0.5"));

        // A pool the fabric stops listing goes once nothing in it is reserved.
        PoolMerger.Merge(state, "src", []);
        Assert.Single(state.Pools);
        AddressAllocator.Release(state, "net", "b", "eth0");
        Assert.Empty(state.Pools);
    }

    [Fact]
    public void GcReleasesAReservationAdoptedFromUpstream_OnlyWhenNoValidAttachmentNamesItsContainer()
    {
        var state = State("10.240.0.5", "10.240.0.6");
        // Upstream's records name only the container (no network, no interface).
        state.Pools[0].Addresses[0].ContainerId = "kept";
        state.Pools[0].Addresses[1].ContainerId = "gone";
        Assert.True(state.Pools[0].Addresses[0].IsAdopted);

        Assert.Equal(1, AddressAllocator.Collect(state, "net", [new GcAttachment { ContainerId = "kept", IfName = "eth0" }]));
        Assert.Equal(["kept"], state.Pools[0].Addresses.Where(a => a.InUse).Select(a => a.ContainerId));
        Assert.Equal(1, AddressAllocator.Collect(state, "net", []));
        Assert.DoesNotContain(state.Pools[0].Addresses, a => a.InUse);
    }

    [Fact]
    public void MergeKeepsReservations()
    {
        var state = State("10.240.0.5");
        AddressAllocator.Reserve(state, "net", "a", "eth0");
        PoolMerger.Merge(state, "src", [PoolBuilder.BuildLocal("10.240.0.0/29", 10)]);
        Assert.NotNull(AddressAllocator.Find(state, "net", "a", "eth0"));
    }

    [Fact]
    public void ReservationsBelongToTheirNetwork()
    {
        var state = State("10.240.0.5", "10.240.0.6", "10.240.0.7");
        string a = AddressAllocator.Reserve(state, "net-a", "c", "eth0").Record.Address;
        string b = AddressAllocator.Reserve(state, "net-b", "c", "eth0").Record.Address;
        Assert.NotEqual(a, b);

        // GC of one network never touches another's reservations.
        Assert.Equal(1, AddressAllocator.Collect(state, "net-a", []));
        Assert.NotNull(AddressAllocator.Find(state, "net-b", "c", "eth0"));
        Assert.Null(AddressAllocator.Find(state, "net-a", "c", "eth0"));

        // Nor does DEL, by owner or by address.
        Assert.Equal(0, AddressAllocator.Release(state, "net-a", "c", "eth0"));
        Assert.Equal(0, AddressAllocator.Release(state, "net-a", "c", "eth0", b));
        Assert.Equal(1, AddressAllocator.Release(state, "net-b", "c", "eth0", b));
    }

    [Fact]
    public void EachSourceAllocatesOnlyFromTheSubnetsItLists()
    {
        var state = new IpamState();
        PoolMerger.Merge(state, "file A", [PoolBuilder.BuildLocal("10.1.0.0/30", 10)]);
        PoolMerger.Merge(state, "local B", [PoolBuilder.BuildLocal("10.2.0.0/30", 10)]);
        Assert.Equal(2, state.Pools.Count);

        var scopeA = state.FindSource("file A")!.Subnets;
        var scopeB = state.FindSource("local B")!.Subnets;
        Assert.Equal("10.1.0.2", AddressAllocator.Reserve(state, "n", "a", "eth0", new ReserveOptions(Scope: scopeA)).Record.Address);
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => AddressAllocator.Reserve(state, "n", "a2", "eth0", new ReserveOptions(Scope: scopeA))).Code);
        Assert.Equal("10.2.0.2", AddressAllocator.Reserve(state, "n", "b", "eth0", new ReserveOptions(Scope: scopeB)).Record.Address);

        // A source's re-listing does not retire the other source's pools.
        PoolMerger.Merge(state, "file A", [PoolBuilder.BuildLocal("10.1.0.0/30", 10)]);
        Assert.Equal(2, state.Pools.Count);
        Assert.All(state.Pools.SelectMany(p => p.Addresses), r => Assert.False(r.Stale));
    }
}
