using System.Buffers;
using System.Net;
using System.Text;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

/// <summary>IPv6 subnets of every source become pools; a node listing both families gives each ADD one address of each.</summary>
public sealed class DualStackTests : IDisposable
{
    private static readonly LocalNic[] Nics = [new("eth0", "000d3a6e1825")];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private AddressManager Manager() => new(new IpamStore(_dir.Path), new AddressManagerOptions
    {
        SourceFactory = c => AddressSources.Create(c, () => Nics),
        Warn = _ => { },
    });

    private IpamConfig FileConfig(string[] v4, string[] v6)
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.DualStackInterfacesJson(Fixtures.Mac, v4, v6));
        return new IpamConfig { Environment = "fileIpam", InterfacesFile = _dir.File("interfaces.json") };
    }

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

    [Theory]
    [InlineData("""{"subnets":["10.0.0.0/24","10.1.0.0/24"]}""", CniErrorCode.InvalidNetworkConfig, "two IPv4")]
    [InlineData("""{"subnets":["fd00::/64","fd01::/64"]}""", CniErrorCode.InvalidNetworkConfig, "two IPv6")]
    [InlineData("""{"subnets":["10.0.0.300/24"]}""", CniErrorCode.InvalidNetworkConfig, "not a CIDR")]
    [InlineData("""{"subnet":"10.0.0.0/24","subnets":["fd00::/64"]}""", CniErrorCode.InvalidNetworkConfig, "both set")]
    [InlineData("""{"subnets":"10.0.0.0/24"}""", CniErrorCode.DecodingFailure, "not an array of strings")]
    [InlineData("""{"subnets":[10]}""", CniErrorCode.DecodingFailure, "not an array of strings")]
    [InlineData("""{"environment":"local","subnets":["10.0.0.0/24","fd00::/127"]}""", CniErrorCode.InvalidNetworkConfig, "fd00::/127")]
    public void BadSubnetsAreRefused(string ipam, CniErrorCode code, string message)
    {
        var error = Assert.Throws<CniException>(() => Parse(ipam));
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
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

    [Fact]
    public void ManagerLeasesBothFamiliesFromTheFileAndStatusNeedsBoth()
    {
        var config = FileConfig(["10.240.0.5", "10.240.0.6"], ["fd00:240::5"]);
        var manager = Manager();
        manager.CheckReady(config);

        var leases = manager.ReserveAll(config, "net", "a", "eth0");
        Assert.Equal(2, leases.Count);
        Assert.Equal((IPAddress.Parse("10.240.0.5"), 16, "10.240.0.1"), (leases[0].Address, leases[0].PrefixLength, leases[0].Gateway.ToString()));
        Assert.Equal((IPAddress.Parse("fd00:240::5"), 64, "fd00:240::1"), (leases[1].Address, leases[1].PrefixLength, leases[1].Gateway.ToString()));
        Assert.Equal(2, new IpamStore(_dir.Path).Load().InUseCount());

        // IPv4 left, IPv6 gone: STATUS says 50, ADD fails 101 and writes nothing.
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);
        byte[] before = File.ReadAllBytes(new IpamStore(_dir.Path).StatePath);
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => manager.ReserveAll(config, "net", "b", "eth0")).Code);
        Assert.Equal(before, File.ReadAllBytes(new IpamStore(_dir.Path).StatePath));

        Assert.Equal(2, manager.Release(config, "net", "a", "eth0"));
        manager.CheckReady(config);
        Assert.Equal(0, new IpamStore(_dir.Path).Load().InUseCount());
    }

    [Fact]
    public void SubnetsNarrowsAFileSourceToTheFamiliesItNames()
    {
        var config = FileConfig(Fixtures.Three, ["fd00:240::5"]);
        config.Subnets = ["fd00:240::/64"];
        var lease = Assert.Single(Manager().ReserveAll(config, "net", "a", "eth0"));
        Assert.Equal("fd00:240::5", lease.Address.ToString());
    }

    [Fact]
    public void SingleStackListingGivesOneLeaseAsBefore()
    {
        var config = FileConfig(Fixtures.Three, []);
        var lease = Assert.Single(Manager().ReserveAll(config, "net", "a", "eth0"));
        Assert.Equal("10.240.0.5", lease.Address.ToString());
    }

    [Fact]
    public void PluginCheckCoversBothAddresses()
    {
        var config = FileConfig(Fixtures.Three, ["fd00:240::5"]);
        string json = $$$"""{"cniVersion":"1.1.0","name":"net","type":"azure-vnet-ipam","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{{config.InterfacesFile}}}"}}""";
        var plugin = new AzureVnetIpamPlugin(Manager());
        var add = plugin.Add(Request("ADD", json));
        Assert.Equal(["10.240.0.5/16", "fd00:240::5/64"], add.Ips.Select(ip => ip.Address.ToString()));
        plugin.Check(Request("CHECK", json));
        plugin.Check(Request("CHECK", json.Replace("\"fileIpam\"", "\"fileIpam\",\"ipAddress\":\"fd00:240::5\"", StringComparison.Ordinal)));

        // The source stops listing the IPv6 address: CHECK names it.
        File.WriteAllText(config.InterfacesFile!, Fixtures.DualStackInterfacesJson(Fixtures.Mac, Fixtures.Three, ["fd00:240::7"]));
        Manager().ReserveAll(config, "net", "pod-2", "eth0"); // an ADD merges the new listing into the state
        var error = Assert.Throws<CniException>(() => plugin.Check(Request("CHECK", json)));
        Assert.Contains("fd00:240::5", error.Message, StringComparison.Ordinal);
    }

    // The IPAM's dual-stack result in every spec version: ip4 and ip6 up to 0.2.0, ips with version to 0.4.0, without from 1.0.0.
    [Theory]
    [InlineData("0.1.0", """{"cniVersion":"0.1.0","ip4":{"ip":"10.240.0.5/16","gateway":"10.240.0.1","routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}]},"ip6":{"ip":"fd00:240::5/64","gateway":"fd00:240::1","routes":[{"dst":"::/0","gw":"fd00:240::1"}]},"dns":{"nameservers":["168.63.129.16"]}}""")]
    [InlineData("0.2.0", """{"cniVersion":"0.2.0","ip4":{"ip":"10.240.0.5/16","gateway":"10.240.0.1","routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"}]},"ip6":{"ip":"fd00:240::5/64","gateway":"fd00:240::1","routes":[{"dst":"::/0","gw":"fd00:240::1"}]},"dns":{"nameservers":["168.63.129.16"]}}""")]
    [InlineData("0.3.0", """{"cniVersion":"0.3.0","ips":[{"version":"4","address":"10.240.0.5/16","gateway":"10.240.0.1"},{"version":"6","address":"fd00:240::5/64","gateway":"fd00:240::1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"},{"dst":"::/0","gw":"fd00:240::1"}],"dns":{"nameservers":["168.63.129.16"]}}""")]
    [InlineData("0.3.1", """{"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.240.0.5/16","gateway":"10.240.0.1"},{"version":"6","address":"fd00:240::5/64","gateway":"fd00:240::1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"},{"dst":"::/0","gw":"fd00:240::1"}],"dns":{"nameservers":["168.63.129.16"]}}""")]
    [InlineData("0.4.0", """{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.240.0.5/16","gateway":"10.240.0.1"},{"version":"6","address":"fd00:240::5/64","gateway":"fd00:240::1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"},{"dst":"::/0","gw":"fd00:240::1"}],"dns":{"nameservers":["168.63.129.16"]}}""")]
    [InlineData("1.0.0", """{"cniVersion":"1.0.0","ips":[{"address":"10.240.0.5/16","gateway":"10.240.0.1"},{"address":"fd00:240::5/64","gateway":"fd00:240::1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"},{"dst":"::/0","gw":"fd00:240::1"}],"dns":{"nameservers":["168.63.129.16"]}}""")]
    [InlineData("1.1.0", """{"cniVersion":"1.1.0","ips":[{"address":"10.240.0.5/16","gateway":"10.240.0.1"},{"address":"fd00:240::5/64","gateway":"fd00:240::1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.240.0.1"},{"dst":"::/0","gw":"fd00:240::1"}],"dns":{"nameservers":["168.63.129.16"]}}""")]
    public void DualStackResultInEveryVersion(string version, string golden)
    {
        var config = FileConfig(Fixtures.Three, ["fd00:240::5"]);
        var result = AzureVnetIpamPlugin.ToResult(Manager().ReserveAll(config, "net", "a", "eth0"));
        Assert.True(CniVersion.TryParse(version, out var spec));
        var buffer = new ArrayBufferWriter<byte>();
        CniResultConverter.Write(result, spec, buffer);
        Assert.Equal(golden, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static IpamConfig Parse(string ipam) =>
        IpamConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.1.0","name":"n","type":"azure-vnet-ipam","ipam":{"type":"azure-vnet-ipam",{{{ipam[1..]}}}}"""));

    private static CniRequest Request(string command, string json) => new()
    {
        Command = command == "ADD" ? CniCommand.Add : CniCommand.Check,
        Config = AzureCni.Json.CniJson.Parse<NetConf>(Encoding.UTF8.GetBytes(json)),
        ContainerId = "pod-1",
        IfName = "eth0",
    };
}
