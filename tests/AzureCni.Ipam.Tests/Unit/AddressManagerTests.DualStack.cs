using System.Buffers;
using System.Net;
using System.Text;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

/// <summary>A node whose source lists both families: leases, STATUS, CHECK and the result in every spec version.</summary>
public sealed partial class AddressManagerTests
{
    private IpamConfig DualStackFileConfig(string[] v4, string[] v6)
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.DualStackInterfacesJson(Fixtures.Mac, v4, v6));
        return new IpamConfig { Environment = "fileIpam", InterfacesFile = _dir.File("interfaces.json") };
    }

    [Fact]
    public void ManagerLeasesBothFamiliesFromTheFileAndStatusNeedsBoth()
    {
        var config = DualStackFileConfig(["10.240.0.5", "10.240.0.6"], ["fd00:240::5"]);
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
        var config = DualStackFileConfig(Fixtures.Three, ["fd00:240::5"]);
        config.Subnets = ["fd00:240::/64"];
        var lease = Assert.Single(Manager().ReserveAll(config, "net", "a", "eth0"));
        Assert.Equal("fd00:240::5", lease.Address.ToString());
    }

    [Fact]
    public void SingleStackListingGivesOneLeaseAsBefore()
    {
        var config = DualStackFileConfig(Fixtures.Three, []);
        var lease = Assert.Single(Manager().ReserveAll(config, "net", "a", "eth0"));
        Assert.Equal("10.240.0.5", lease.Address.ToString());
    }

    [Fact]
    public void PluginCheckCoversBothAddresses()
    {
        var config = DualStackFileConfig(Fixtures.Three, ["fd00:240::5"]);
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
        var config = DualStackFileConfig(Fixtures.Three, ["fd00:240::5"]);
        var result = AzureVnetIpamPlugin.ToResult(Manager().ReserveAll(config, "net", "a", "eth0"));
        Assert.True(CniVersion.TryParse(version, out var spec));
        var buffer = new ArrayBufferWriter<byte>();
        CniResultConverter.Write(result, spec, buffer);
        Assert.Equal(golden, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static CniRequest Request(string command, string json) => new()
    {
        Command = command == "ADD" ? CniCommand.Add : CniCommand.Check,
        Config = AzureCni.Json.CniJson.Parse<NetConf>(Encoding.UTF8.GetBytes(json)),
        ContainerId = "pod-1",
        IfName = "eth0",
    };
}
