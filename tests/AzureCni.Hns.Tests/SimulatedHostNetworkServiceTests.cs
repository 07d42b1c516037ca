using AzureCni.Hns.Schema;
using AzureCni.Hns.Tests.Simulation;

namespace AzureCni.Hns.Tests;

/// <summary>The simulated HNS holds documents to the HCN schema and keeps objects the way HNS does.</summary>
public sealed class SimulatedHostNetworkServiceTests
{
    private const string SchemaVersion2 = "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}";
    private readonly SimulatedHostNetworkService _hns = new();
    private readonly HcnClient _client;

    public SimulatedHostNetworkServiceTests() => _client = new HcnClient(_hns);

    [Theory]
    [InlineData("{\"Name\":\"n\",\"Type\":\"L2Bridge\",\"Bogus\":1," + SchemaVersion2 + "}", "Bogus: unknown member")]
    [InlineData("{\"Name\":\"n\",\"Type\":\"L2Bridge\"}", "SchemaVersion: required member missing")]
    [InlineData("{\"Name\":\"n\",\"Type\":\"L2Bridge\",\"Flags\":\"8\"," + SchemaVersion2 + "}", "Flags: expected an unsigned integer")]
    [InlineData("{\"Name\":\"n\",\"Type\":\"l2bridge\"," + SchemaVersion2 + "}", "Type: \"l2bridge\" is not one of")]
    [InlineData("{\"name\":\"n\",\"Type\":\"L2Bridge\"," + SchemaVersion2 + "}", "name: unknown member")]
    [InlineData("{\"Name\":\"n\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"AdapterName\":\"x\"}}]," + SchemaVersion2 + "}", "AdapterName: unknown member")]
    public void CreateNetwork_NonConformingDocument_IsInvalid(string settings, string expected)
    {
        HnsException e = Assert.Throws<HnsException>(() => _hns.CreateNetwork(Guid.Empty, settings));

        Assert.Equal(HnsResults.HCN_E_INVALID_NETWORK, e.HResult);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void CreateEndpoint_PolicySettingsOfAnotherType_IsInvalid()
    {
        Guid network = CreateNetwork("azure");
        var endpoint = new HostComputeEndpoint
        {
            Name = "x-eth0",
            Policies = [new EndpointPolicy { Type = EndpointPolicyTypes.SdnRoute, Settings = new EndpointPolicySettings { DestinationPrefix = "10.0.0.0/8", Exceptions = ["10.0.0.0/8"] } }],
            SchemaVersion = SchemaVersion.V2,
        };

        HnsException e = Assert.Throws<HnsException>(() => _client.CreateEndpoint(network, Guid.NewGuid(), endpoint));

        Assert.Equal(HnsResults.HCN_E_INVALID_ENDPOINT, e.HResult);
        Assert.Contains("Exceptions: unknown member", e.Message);
    }

    [Fact]
    public void CreateNetwork_DuplicateName_AlreadyExists()
    {
        CreateNetwork("azure");

        HnsException e = Assert.Throws<HnsException>(() => CreateNetwork("azure"));

        Assert.True(e.IsAlreadyExists);
        Assert.Equal(HnsResults.HCN_E_NETWORK_ALREADY_EXISTS, e.HResult);
    }

    [Fact]
    public void CreateEndpoint_AddressOutsideTheNetwork_IsRejected()
    {
        Guid network = CreateNetwork("azure");

        HnsException e = Assert.Throws<HnsException>(() => _client.CreateEndpoint(network, Guid.NewGuid(), Endpoint("192.168.1.5")));

        Assert.Contains("not in any subnet", e.Message);
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Fact]
    public void Lookups_OfUnknownObjects_AreNotFound()
    {
        Assert.Null(_client.GetNetworkByName("nope"));
        Assert.Null(_client.GetNetwork(Guid.NewGuid()));
        Assert.Null(_client.GetEndpoint(Guid.NewGuid()));
        Assert.Null(_client.GetNamespace(Guid.NewGuid()));
        Assert.False(_client.DeleteEndpoint(Guid.NewGuid()));
        Assert.False(_client.RemoveNamespaceEndpoint(Guid.NewGuid(), Guid.NewGuid()));

        HnsException e = Assert.Throws<HnsException>(() => _hns.DeleteEndpoint(Guid.NewGuid()));
        Assert.True(e.IsNotFound);
        Assert.Equal(HnsResults.HCN_E_ENDPOINT_NOT_FOUND, e.HResult);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Endpoint_AttachedToANamespace_CannotBeDeletedOrAttachedTwice()
    {
        Guid network = CreateNetwork("azure");
        Guid ns = _hns.AddNamespace();
        Guid endpoint = Guid.NewGuid();
        _client.CreateEndpoint(network, endpoint, Endpoint("10.240.0.9"));
        _client.AddNamespaceEndpoint(ns, endpoint);

        Assert.Equal(HnsResults.HCN_E_ENTITY_HAS_REFERENCES, Assert.Throws<HnsException>(() => _client.DeleteEndpoint(endpoint)).HResult);
        Assert.True(Assert.Throws<HnsException>(() => _client.AddNamespaceEndpoint(_hns.AddNamespace(), endpoint)).IsAlreadyExists);

        HostComputeEndpoint properties = _client.GetEndpoint(endpoint)!;
        Assert.True(HcnIds.Same(properties.HostComputeNamespace, ns));
        Assert.Equal([endpoint], HcnClient.EndpointIds(_client.GetNamespace(ns)!));

        Assert.True(_client.RemoveNamespaceEndpoint(ns, endpoint));
        Assert.True(_client.DeleteEndpoint(endpoint));
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Fact]
    public void ListEndpoints_ByName_ReturnsOnlyThatEndpoint_AndReadsPastUnknownMembers()
    {
        Guid network = CreateNetwork("azure");
        _client.CreateEndpoint(network, Guid.NewGuid(), Endpoint("10.240.0.9", "a-eth0"));
        _client.CreateEndpoint(network, Guid.NewGuid(), Endpoint("10.240.0.10", "b-eth0"));

        HostComputeEndpoint found = Assert.Single(_client.ListEndpoints(new HostComputeQueryFilter { Name = "b-eth0" }));

        Assert.Equal("10.240.0.10", found.IpConfigurations![0].IpAddress);
        Assert.StartsWith("00-15-5D-", found.MacAddress);
        Assert.Equal(2, _client.ListEndpoints().Count);
    }

    [Fact]
    public void HnsV1_DeleteOfAMissingEndpoint_IsNotFound()
    {
        HnsException e = Assert.Throws<HnsException>(() => _hns.HnsRequest("DELETE", "/endpoints/" + Guid.NewGuid(), null));

        Assert.True(e.IsNotFound);
        Assert.False(new HnsV1Client(_hns).DeleteEndpoint(Guid.NewGuid()));
    }

    [Fact]
    public void HotAttach_UnknownContainer_IsNotFound()
        => Assert.True(Assert.Throws<HnsException>(() => new HnsV1Client(_hns).HotAttachEndpoint("c0ffee", Guid.NewGuid())).IsNotFound);

    private Guid CreateNetwork(string name)
    {
        HostComputeNetwork created = _client.CreateNetwork(new HostComputeNetwork
        {
            Name = name,
            Type = NetworkTypes.L2Bridge,
            Ipams = [new Hns.Schema.Ipam { Type = Hns.Schema.Ipam.StaticType, Subnets = [new Subnet { IpAddressPrefix = "10.240.0.0/12" }] }],
            SchemaVersion = SchemaVersion.V2,
        });
        return HcnIds.Parse(created.Id, "network");
    }

    private static HostComputeEndpoint Endpoint(string address, string name = "x-eth0") => new()
    {
        Name = name,
        IpConfigurations = [new IpConfig { IpAddress = address, PrefixLength = 12 }],
        SchemaVersion = SchemaVersion.V2,
    };
}
