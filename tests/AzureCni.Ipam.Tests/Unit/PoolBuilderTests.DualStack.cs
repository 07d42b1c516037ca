using System.Text;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

/// <summary>IPv6 subnets of every source become pools: the wireserver XML, the interfaces file, a local range.</summary>
public partial class PoolBuilderTests
{
    [Fact]
    public void NmAgentIPv6SubnetBecomesAPoolOfItsSecondariesWithGatewayPrefixOne()
    {
        var listing = NmAgentXml.Parse(Encoding.UTF8.GetBytes(Fixtures.DualStackNmAgentXml(Fixtures.Mac, Fixtures.Three, ["fd00:240::5", "FD00:240:0::6"])));
        var pools = PoolBuilder.Build(listing, Nics);

        Assert.Equal(["10.240.0.0/16", "fd00:240::/64"], pools.Select(p => p.Subnet));
        var v6 = pools[1];
        Assert.True(v6.IsIPv6);
        Assert.False(pools[0].IsIPv6);
        Assert.Equal("fd00:240::1", v6.Gateway);
        Assert.Equal(64, v6.PrefixLength);
        Assert.Equal("eth0", v6.IfName);
        // The primary fd00:240::4 belongs to the host; addresses are stored canonical.
        Assert.Equal(["fd00:240::5", "fd00:240::6"], v6.Addresses.Select(a => a.Address));
    }

    [Fact]
    public void InterfacesFileIPv6SubnetBecomesAPoolAndANamedGatewayInTheSubnetWins()
    {
        string json = """
            {"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[
              {"Prefix":"fd00:1::/64","Gateway":"fd00:1::fe","IPAddresses":[{"Address":"fd00:1::4","IsPrimary":true},{"Address":"fd00:1::10","IsPrimary":false}]},
              {"Prefix":"fd00:2::/64","Gateway":"fd00:9::1","IPAddresses":[{"Address":"fd00:2::10","IsPrimary":false},{"Address":"fd00:3::10","IsPrimary":false}]}]}]}
            """;
        var warnings = new List<string>();
        var pools = PoolBuilder.Build(IpamJson.ReadInterfaces(Encoding.UTF8.GetBytes(json)), Nics, warnings.Add);

        Assert.Equal("fd00:1::fe", pools[0].Gateway);
        Assert.Equal(["fd00:1::10"], pools[0].Addresses.Select(a => a.Address));
        // A gateway outside the subnet is ignored (with a warning), as is an address outside it.
        Assert.Equal("fd00:2::1", pools[1].Gateway);
        Assert.Equal(["fd00:2::10"], pools[1].Addresses.Select(a => a.Address));
        Assert.Contains(warnings, w => w.Contains("fd00:9::1", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("fd00:3::10", StringComparison.Ordinal));
    }

    [Fact]
    public void NmAgentGatewayAttributeIsRead()
    {
        var listing = NmAgentXml.Parse("""<Interfaces><Interface MacAddress="*" IsPrimary="true"><IPSubnet Prefix="fd00:5::/64" Gateway="fd00:5::ff"><IPAddress Address="fd00:5::9" IsPrimary="false"/></IPSubnet></Interface></Interfaces>"""u8);
        Assert.Equal("fd00:5::ff", Assert.Single(PoolBuilder.Build(listing, Nics)).Gateway);
    }

    [Fact]
    public void LocalIPv6RangeAndLocalDualStackSubnets()
    {
        var v6Only = new LocalSubnetSource("fd00:244:1::/125").Load();
        var pool = Assert.Single(v6Only);
        Assert.Equal("fd00:244:1::1", pool.Gateway);
        // No broadcast in IPv6: ::2 to ::7 all go out.
        Assert.Equal(["fd00:244:1::2", "fd00:244:1::3", "fd00:244:1::4", "fd00:244:1::5", "fd00:244:1::6", "fd00:244:1::7"], pool.Addresses.Select(a => a.Address));

        var config = Parse("""{"environment":"local","subnets":["10.244.1.0/29","FD00:244:1:0::/125"]}""");
        Assert.Equal(["10.244.1.0/29", "fd00:244:1::/125"], config.Subnets);
        var source = AddressSources.Create(config);
        Assert.Equal("local 10.244.1.0/29 fd00:244:1::/125", source.Identity);
        Assert.Equal(["10.244.1.0/29", "fd00:244:1::/125"], source.Load().Select(p => p.Subnet));
        // One subnet keeps the identity it always had: a node's state needs no migration.
        Assert.Equal("local 10.244.1.0/24", AddressSources.Create(Parse("""{"environment":"local","subnet":"10.244.1.0/24"}""")).Identity);
    }

    private static IpamConfig Parse(string ipam) =>
        IpamConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.1.0","name":"n","type":"azure-vnet-ipam","ipam":{"type":"azure-vnet-ipam",{{{ipam[1..]}}}}"""));
}
