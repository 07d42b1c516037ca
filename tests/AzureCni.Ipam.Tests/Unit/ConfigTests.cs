using System.Text;
using AzureCni.Cni;
using AzureCni.Ipam.Config;

namespace AzureCni.Ipam.Tests.Unit;

public partial class ConfigTests
{
    private static IpamConfig Parse(string json) => IpamConfig.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ReadsTheIpamFieldsAndAttachments()
    {
        var config = Parse("""
            {"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","mode":"bridge",
             "ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","subnet":"10.240.0.0/16","ipAddress":"10.240.0.5",
                     "queryInterval":"30","queryUrl":"http://127.0.0.1:1/x","interfacesFile":"/tmp/i.json","addressSpace":"local","other":[1]},
             "cni.dev/valid-attachments":[{"containerID":"a","ifname":"eth0"},{"containerID":"b","ifname":"net1","extra":true}]}
            """);
        Assert.Equal("azure-vnet-ipam", config.Type);
        Assert.Equal("fileIpam", config.Environment);
        Assert.Equal("10.240.0.0/16", config.Subnet);
        Assert.Equal("10.240.0.5", config.IpAddress);
        Assert.Equal(30, config.QueryIntervalSeconds);
        Assert.Equal("http://127.0.0.1:1/x", config.EffectiveQueryUrl);
        Assert.Equal("/tmp/i.json", config.EffectiveInterfacesFile);
    }

    [Fact]
    public void DefaultsAndLegacyAttachments()
    {
        var config = Parse("""{"ipam":{"type":"azure-vnet-ipam","queryInterval":5},"cni.dev/attachments":[{"containerID":"a","ifname":"eth0"}]}""");
        Assert.Equal("azure", config.Environment);
        Assert.Equal(5, config.QueryIntervalSeconds);
        Assert.Equal(IpamConfig.DefaultQueryUrl, config.EffectiveQueryUrl);
        Assert.Equal(IpamConfig.DefaultInterfacesFile, config.EffectiveInterfacesFile);
        Assert.Equal(10, Parse("""{"ipam":{}}""").QueryIntervalSeconds);
        Assert.Equal("azure", Parse("""{"ipam":{"environment":null}}""").Environment);
    }

    [Fact]
    public void UpstreamsIpv6NodeIpamIsRefusedByName()
    {
        var error = Assert.Throws<CniException>(() => Parse("""{"ipam":{"environment":"ipv6NodeIpam"}}"""));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("ipv6NodeIpam", error.Message, StringComparison.Ordinal);
        Assert.Contains("IPv6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ipam":{"environment":"cloud"}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"ipam":{"environment":"local"}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"ipam":{"subnet":"10.0.0.0"}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"ipam":{"ipAddress":"x"}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"ipam":{"addressSpace":"global"}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"ipam":{"queryInterval":"soon"}}""", CniErrorCode.DecodingFailure)]
    [InlineData("""{"ipam":{"subnet":5}}""", CniErrorCode.DecodingFailure)]
    [InlineData("""{"ipam":""", CniErrorCode.DecodingFailure)]
    public void RejectsBadConfigsWithTheRightCode(string json, CniErrorCode code) =>
        Assert.Equal(code, Assert.Throws<CniException>(() => Parse(json)).Code);

    [Theory]
    [InlineData("255.255.255.255/32")]
    [InlineData("10.0.0.4/31")]
    [InlineData("fd00::1/128")]
    [InlineData("fd00::/127")]
    public void LocalSubnetsWithoutAHostAddressAreRefused(string subnet)
    {
        var error = Assert.Throws<CniException>(() => Parse("""{"ipam":{"environment":"local","subnet":"%"}}""".Replace("%", subnet, StringComparison.Ordinal)));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("/30 or shorter", error.Message);
    }

    [Theory]
    [InlineData("10.0.0.4/30")]
    [InlineData("fd00::/126")]
    public void TheSmallestLocalSubnetsWithAHostAddressAreAccepted(string subnet) =>
        Assert.Equal(subnet, Parse("""{"ipam":{"environment":"local","subnet":"%"}}""".Replace("%", subnet, StringComparison.Ordinal)).Subnet);
}
