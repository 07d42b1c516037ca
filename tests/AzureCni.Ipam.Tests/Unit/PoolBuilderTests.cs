using System.Text;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

public partial class PoolBuilderTests
{
    private static readonly LocalNic[] Nics = [new("eth0", "000d3a6e1825"), new("eth1", "000d3a6e1826"), new("lo", "000000000000")];

    [Fact]
    public void MatchesNicsByMacIgnoringCaseAndColonsAndSkipsPrimaryAddresses()
    {
        var source = IpamJson.ReadInterfaces(Encoding.UTF8.GetBytes(Fixtures.InterfacesJson("00:0d:3a:6e:18:25", Fixtures.Three)));
        var pools = PoolBuilder.Build(source, Nics);

        var pool = Assert.Single(pools);
        Assert.Equal("10.240.0.0/16", pool.Subnet);
        Assert.Equal("eth0", pool.IfName);
        Assert.Equal("10.240.0.1", pool.Gateway);
        Assert.Equal(0, pool.Priority);
        Assert.Equal(Fixtures.Three, pool.Addresses.Select(a => a.Address));
    }

    [Fact]
    public void SkipsUnmatchedInterfacesAndPrefersSecondaryNics()
    {
        var source = new SourceInterfaces
        {
            Interfaces =
            [
                new() { MacAddress = "000D3A6E1825", IsPrimary = true, IPSubnets = [Subnet("10.0.0.0/24", "10.0.0.10")] },
                new() { MacAddress = "000D3A6E1826", IsPrimary = false, IPSubnets = [Subnet("10.1.0.0/24", "10.1.0.10")] },
                new() { MacAddress = "AABBCCDDEEFF", IsPrimary = false, IPSubnets = [Subnet("10.2.0.0/24", "10.2.0.10")] },
            ],
        };
        var warnings = new List<string>();
        var pools = PoolBuilder.Build(source, Nics, warnings.Add);

        Assert.Equal(["10.0.0.0/24", "10.1.0.0/24"], pools.Select(p => p.Subnet));
        Assert.Equal([0, 1], pools.Select(p => p.Priority));
        Assert.Equal("eth1", pools[1].IfName);
        Assert.Contains(warnings, w => w.Contains("AABBCCDDEEFF", StringComparison.Ordinal));
    }

    [Fact]
    public void ListingWithNoLocalNicNamesTheListedMacsAndTheLocalNics()
    {
        var source = new SourceInterfaces { Interfaces = [new() { MacAddress = "AABBCCDDEEFF", IsPrimary = true, IPSubnets = [Subnet("10.2.0.0/24", "10.2.0.10")] }] };
        var error = Assert.Throws<FormatException>(() => PoolBuilder.Build(source, Nics));
        Assert.Contains("AABBCCDDEEFF", error.Message, StringComparison.Ordinal);
        foreach (var nic in Nics)
            Assert.Contains(nic.Name + " " + nic.Mac, error.Message, StringComparison.Ordinal);
        Assert.Empty(PoolBuilder.Build(new SourceInterfaces(), Nics));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    public void WildcardMacMatchesTheFirstNonLoopbackNic(string mac)
    {
        var pools = PoolBuilder.Build(IpamJson.ReadInterfaces(Encoding.UTF8.GetBytes(Fixtures.InterfacesJson(mac, "10.240.0.5"))), Nics);
        Assert.Equal("eth0", Assert.Single(pools).IfName);

        var onlyLo = PoolBuilder.Build(IpamJson.ReadInterfaces(Encoding.UTF8.GetBytes(Fixtures.InterfacesJson(mac, "10.240.0.5"))), [new LocalNic("lo", "000000000000")]);
        Assert.Equal("", Assert.Single(onlyLo).IfName);
    }

    [Fact]
    public void DropsAddressesOutsideTheSubnetAndSortsNumerically()
    {
        var source = new SourceInterfaces { Interfaces = [new() { MacAddress = "*", IPSubnets = [Subnet("10.0.0.0/24", "10.0.0.100", "10.0.0.20", "10.9.9.9", "10.0.0.3", "10.0.0.20")] }] };
        var pool = Assert.Single(PoolBuilder.Build(source, Nics));
        Assert.Equal(["10.0.0.3", "10.0.0.20", "10.0.0.100"], pool.Addresses.Select(a => a.Address));
    }

    [Fact]
    public void LocalSubnetPoolExcludesNetworkGatewayAndBroadcast()
    {
        var pool = PoolBuilder.BuildLocal("10.99.0.0/29", 4096);
        Assert.Equal("10.99.0.1", pool.Gateway);
        Assert.Equal(["10.99.0.2", "10.99.0.3", "10.99.0.4", "10.99.0.5", "10.99.0.6"], pool.Addresses.Select(a => a.Address));
        Assert.Equal(16, PoolBuilder.BuildLocal("10.0.0.0/8", 16).Addresses.Count);
    }

    [Fact]
    public void Ipv6SubnetsWork()
    {
        var pool = PoolBuilder.BuildLocal("fd00:10::/120", 3);
        Assert.Equal("fd00:10::1", pool.Gateway);
        Assert.Equal(120, pool.PrefixLength);
        Assert.Equal(["fd00:10::2", "fd00:10::3", "fd00:10::4"], pool.Addresses.Select(a => a.Address));

        var result = AzureVnetIpamPlugin.ToResult(new Allocation.IpamLease(
            System.Net.IPAddress.Parse("fd00:10::2"), 120, pool.GatewayAddress, pool.Subnet, []));
        Assert.Equal("::/0", result.Routes[0].Destination.ToString());
        Assert.Equal("fd00:10::2/120", result.Ips[0].Address.ToString());
        Assert.Empty(result.Dns.Nameservers);
    }

    [Fact]
    public void ReadsSysfsStyleMacs()
    {
        Assert.Equal("000d3a6e1825", LocalNics.NormalizeMac("00:0D:3A:6E:18:25\n"));
        var nics = LocalNics.Read();
        Assert.Contains(nics, n => n.Name == "lo");
    }

    private static SourceSubnet Subnet(string prefix, params string[] addresses) =>
        new() { Prefix = prefix, IPAddresses = [.. addresses.Select(a => new SourceAddress { Address = a })] };
}
