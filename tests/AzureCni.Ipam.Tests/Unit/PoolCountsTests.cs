using AzureCni.Ipam.Model;
using AzureCni.Ipam.Show;
using Xunit;

namespace AzureCni.Ipam.Tests.Unit;

/// <summary>The pools' counts that `show` prints and the metrics report: one count, two views.</summary>
public class PoolCountsTests
{
    private static AddressPool Pool(string subnet, params AddressRecord[] records)
    {
        var pool = new AddressPool { Subnet = subnet };
        pool.Addresses.AddRange(records);
        return pool;
    }

    [Fact]
    public void AStaleAddressInUseCountsAsBothAndAStaleFreeOneAsNeither()
    {
        var pool = Pool(
            "10.240.0.0/16",
            new AddressRecord { Address = "10.240.0.5" },
            new AddressRecord { Address = "10.240.0.6", ContainerId = "a" },
            new AddressRecord { Address = "10.240.0.7", ContainerId = "b", Stale = true },
            new AddressRecord { Address = "10.240.0.8", Stale = true });

        Assert.Equal(new AddressCounts(InUse: 2, Free: 1, Stale: 2), pool.Count());
        Assert.Equal(1, pool.FreeCount());
    }

    [Fact]
    public void MetricsGaugesAndShowSummaryAgreePoolByPool()
    {
        var state = new IpamState();
        state.Pools.Add(Pool("10.240.0.0/16", new AddressRecord { Address = "10.240.0.5", ContainerId = "a" }, new AddressRecord { Address = "10.240.0.6" }));
        state.Pools.Add(Pool("fd00:240::/64", new AddressRecord { Address = "fd00:240::5", Stale = true }));

        var gauges = PoolGauges.Of(state);
        var summaries = PoolSummary.Of(state);

        Assert.Equal(summaries.Count, gauges.Length);
        for (int i = 0; i < gauges.Length; i++)
        {
            Assert.Equal(summaries[i].Subnet, gauges[i].Subnet);
            Assert.Equal((summaries[i].Total, summaries[i].InUse, summaries[i].Free), (gauges[i].Total, gauges[i].InUse, gauges[i].Free));
        }

        Assert.Equal(("10.240.0.0/16", 2, 1, 1), (gauges[0].Subnet, gauges[0].Total, gauges[0].InUse, gauges[0].Free));
        Assert.Equal((1, 0, 0), (gauges[1].Total, gauges[1].InUse, gauges[1].Free));
        Assert.Equal(1, summaries[1].Stale);
    }
}
