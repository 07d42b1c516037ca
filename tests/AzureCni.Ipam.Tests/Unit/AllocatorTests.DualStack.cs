using System.Text;
using AzureCni.Cni;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

/// <summary>Pools of both families: one address of each per ADD, all or nothing; DEL and GC free both.</summary>
public partial class AllocatorTests
{
    private static IpamState DualState(string[] v4, string[] v6)
    {
        var state = new IpamState();
        var pool4 = new AddressPool { Subnet = "10.240.0.0/16", Gateway = "10.240.0.1" };
        pool4.Addresses.AddRange(v4.Select(a => new AddressRecord { Address = a }));
        var pool6 = new AddressPool { Subnet = Fixtures.V6Subnet, Gateway = "fd00:240::1" };
        pool6.Addresses.AddRange(v6.Select(a => new AddressRecord { Address = a }));
        // The IPv6 pool first: the order of the listing does not decide which family comes first.
        state.Pools.Add(pool6);
        state.Pools.Add(pool4);
        return state;
    }

    [Fact]
    public void DualStackReservesOneOfEachFamilyIPv4FirstAndTheSameOnARepeat()
    {
        var state = DualState(["10.240.0.5", "10.240.0.6"], ["fd00:240::5", "fd00:240::6"]);
        var first = AddressAllocator.ReserveEachFamily(state, "net", "a", "eth0");
        Assert.Equal("10.240.0.5", first.First.Record.Address);
        Assert.Equal("fd00:240::5", first.Second!.Value.Record.Address);

        var again = AddressAllocator.ReserveEachFamily(state, "net", "a", "eth0");
        Assert.Same(first.First.Record, again.First.Record);
        Assert.Same(first.Second.Value.Record, again.Second!.Value.Record);

        var other = AddressAllocator.ReserveEachFamily(state, "net", "b", "eth0");
        Assert.Equal(("10.240.0.6", "fd00:240::6"), (other.First.Record.Address, other.Second!.Value.Record.Address));
        Assert.Equal(4, state.InUseCount());
        Assert.Equal(2, AddressAllocator.FindAll(state, "net", "a", "eth0").Count);
    }

    [Fact]
    public void AFullSecondFamilyFailsTheAddAndLeavesTheFirstExactlyAsItWas()
    {
        var state = DualState(["10.240.0.5", "10.240.0.6"], ["fd00:240::5"]);
        AddressAllocator.ReserveEachFamily(state, "net", "a", "eth0");
        var before = IpamJson.WriteState(state);

        var error = Assert.Throws<CniException>(() => AddressAllocator.ReserveEachFamily(state, "net", "b", "eth0"));
        Assert.Equal(CniErrorCode.NoAddressAvailable, error.Code);
        Assert.Contains("IPv6", error.Message, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(before), Encoding.UTF8.GetString(IpamJson.WriteState(state)));
        Assert.False(AddressAllocator.HasFreeAddress(state, null));

        // An attachment that already held its IPv4 address keeps it when the IPv6 one cannot be had.
        var held = DualState(["10.240.0.5"], []);
        AddressAllocator.Reserve(held, "net", "c", "eth0");
        held.Pools[0].Addresses.Add(new AddressRecord { Address = "fd00:240::5", ContainerId = "x", Network = "net", IfName = "eth0" });
        Assert.Throws<CniException>(() => AddressAllocator.ReserveEachFamily(held, "net", "c", "eth0"));
        Assert.Equal("10.240.0.5", AddressAllocator.Find(held, "net", "c", "eth0")!.Value.Record.Address);
    }

    [Fact]
    public void ReleaseAndCollectFreeBothFamilies()
    {
        var state = DualState(["10.240.0.5", "10.240.0.6", "10.240.0.7"], ["fd00:240::5", "fd00:240::6", "fd00:240::7"]);
        AddressAllocator.ReserveEachFamily(state, "net", "a", "eth0");
        AddressAllocator.ReserveEachFamily(state, "net", "b", "eth0");
        AddressAllocator.ReserveEachFamily(state, "other", "b", "eth0");

        Assert.Equal(2, AddressAllocator.Release(state, "net", "a", "eth0"));
        Assert.Equal(0, AddressAllocator.Release(state, "net", "a", "eth0"));
        // Only the IPv6 address, when DEL names it.
        Assert.Equal(1, AddressAllocator.Release(state, "net", "b", "eth0", "FD00:240::6"));
        Assert.Equal("10.240.0.6", Assert.Single(AddressAllocator.FindAll(state, "net", "b", "eth0")).Record.Address);
        Assert.Equal(1, AddressAllocator.Collect(state, "net", []));
        Assert.Empty(AddressAllocator.FindAll(state, "net", "b", "eth0"));
        // The other network's pair is untouched.
        Assert.Equal(2, AddressAllocator.FindAll(state, "other", "b", "eth0").Count);
        Assert.Equal(2, state.InUseCount());
    }

    [Fact]
    public void SubnetOrIpAddressNarrowsTheAddToOneFamily()
    {
        var state = DualState(["10.240.0.5"], ["fd00:240::5"]);
        var v6 = AddressAllocator.ReserveEachFamily(state, "net", "a", "eth0", new ReserveOptions(Subnet: "fd00:240:0::/64"));
        Assert.Equal("fd00:240::5", v6.First.Record.Address);
        Assert.Null(v6.Second);

        var v4 = AddressAllocator.ReserveEachFamily(state, "net", "b", "eth0", new ReserveOptions(IpAddress: "10.240.0.5"));
        Assert.Equal("10.240.0.5", v4.First.Record.Address);
        Assert.Null(v4.Second);
    }
}
