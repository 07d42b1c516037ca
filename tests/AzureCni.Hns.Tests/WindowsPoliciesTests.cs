using System.Net;
using AzureCni.Hns.Schema;
using AzureCni.Vnet.Windows;

namespace AzureCni.Hns.Tests;

public sealed class WindowsPoliciesTests
{
    private const string PortMappingsOnly = """
    {
      "name": "azure",
      "runtimeConfig": { "portMappings": [
        { "hostPort": 8080, "containerPort": 80 },
        { "hostPort": 8443, "containerPort": 443, "protocol": "tcp", "hostIP": "fd00::10" },
        { "hostPort": 9090, "containerPort": 90, "protocol": "udp", "hostIP": "10.240.0.4" }
      ] }
    }
    """;

    [Fact]
    public void PortMappings_OnADualStackPod_GetIPv6FlagsAndVips()
    {
        List<EndpointPolicy> policies = WindowsPolicies.ForHcn(TestData.ParseConfig(PortMappingsOnly), [IPAddress.Parse("10.240.0.20"), IPAddress.Parse("fd00::20")]);

        Assert.All(policies, p => Assert.Equal(EndpointPolicyTypes.PortMapping, p.Type));
        Assert.Equal(
            ["6:80:8080:1:", "6:80:8080:2:", "6:443:8443:2:fd00::10", "17:90:9090:1:10.240.0.4"],
            policies.Select(p => $"{p.Settings!.Protocol}:{p.Settings.InternalPort}:{p.Settings.ExternalPort}:{p.Settings.Flags}:{p.Settings.Vip}"));
    }

    [Fact]
    public void PortMappings_OnAnIPv4Pod_GetOnePolicyEach()
        => Assert.Equal(3, WindowsPolicies.ForHcn(TestData.ParseConfig(PortMappingsOnly), [IPAddress.Parse("10.240.0.20")]).Count);

    [Fact]
    public void V1Policies_PassTheConfigValuesThroughAndAddNat()
    {
        List<Json.RawJson> policies = WindowsPolicies.ForHnsV1(TestData.ParseConfig());

        Assert.Equal(
            [
                """{ "Type": "OutBoundNAT", "ExceptionList": [ "10.240.0.0/16", "10.0.0.0/8" ] }""",
                """{ "Type": "ROUTE", "DestinationPrefix": "10.0.0.0/8", "NeedEncap": true }""",
            ],
            policies.Take(2).Select(p => p.ToString()));
        Assert.Equal("""{"Type":"NAT","InternalPort":53,"ExternalPort":5353,"Protocol":"UDP"}""", policies[^1].ToString());
    }

    [Theory]
    [InlineData("\"adapterName\": \"Ethernet 2\"", "Ethernet 2")]
    [InlineData("\"adapterName\": \"\", \"master\": \"Ethernet 3\"", "Ethernet 3")]
    [InlineData("\"adapterName\": \"vEthernet (Ethernet 2)\"", null)]
    public void Network_BindsToTheAdapterOverrideElseMaster_ButNeverAVSwitch(string members, string? expected)
    {
        WindowsNetworkConfig config = TestData.ParseConfig("{ \"name\": \"azure\", " + members + " }");

        HostComputeNetwork network = WindowsNetworkDriver.BuildNetwork(config, TestData.IpamResult());

        Assert.Equal(expected, network.Policies?.Single().Settings?.NetworkAdapterName);
    }
}
