using AzureCni.Cni;

namespace AzureCni.Ipam.Tests.Unit;

/// <summary>ipam.subnets: at most one CIDR per family, never beside ipam.subnet.</summary>
public partial class ConfigTests
{
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
        var error = Assert.Throws<CniException>(() => Parse(IpamOnly(ipam)));
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static string IpamOnly(string ipam) =>
        $$$"""{"cniVersion":"1.1.0","name":"n","type":"azure-vnet-ipam","ipam":{"type":"azure-vnet-ipam",{{{ipam[1..]}}}}""";
}
