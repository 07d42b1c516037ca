using System.Text.Json;
using AzureCni.Hns.Schema;
using AzureCni.Hns.Schema.V1;
using AzureCni.Hns.Tests.Simulation;
using AzureCni.Json;
using AzureCni.Vnet.Windows;

namespace AzureCni.Hns.Tests;

/// <summary>Every document sent to HNS, written byte for byte as Golden/*.json, each of which conforms to the HCN schema.</summary>
public sealed class GoldenDocumentTests
{
    private static readonly Guid NetworkId = Guid.Parse("1b3a5c7e-0000-4000-8000-00000000000a");
    private static readonly Guid EndpointId = Guid.Parse("5d0c3a2e-0000-4000-8000-00000000000b");

    public static TheoryData<string, string> Documents() => new()
    {
        { "network.json", NetworkDocument() },
        { "endpoint.json", EndpointDocument() },
        { "namespace.json", HcnDocuments.Write(new HostComputeNamespace { Type = "Host", SchemaVersion = SchemaVersion.V2 }) },
        { "namespace-attach.json", HcnDocuments.Write(ModifyNamespaceSettingRequest.AttachEndpoint(EndpointId)) },
        { "namespace-detach.json", HcnDocuments.Write(ModifyNamespaceSettingRequest.DetachEndpoint(EndpointId)) },
        { "query.json", HcnDocuments.Write(new HostComputeQuery { Filter = HcnDocuments.Write(new HostComputeQueryFilter { Name = "azure" }) }) },
        { "v1-endpoint.json", V1EndpointDocument() },
        { "v1-hot-attach.json", HcnDocuments.Write(new ResourceModificationRequest { Settings = HcnIds.Format(EndpointId) }) },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_MatchesGolden(string golden, string written)
        => Assert.Equal(Normalize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", golden))), Normalize(written));

    [Theory]
    [InlineData("network.json")]
    [InlineData("endpoint.json")]
    [InlineData("namespace.json")]
    [InlineData("namespace-attach.json")]
    [InlineData("namespace-detach.json")]
    [InlineData("query.json")]
    [InlineData("v1-endpoint.json")]
    [InlineData("v1-hot-attach.json")]
    public void Golden_ConformsToHcnSchema(string golden)
    {
        HcnSchema.Shape shape = golden switch
        {
            "network.json" => HcnSchema.Network,
            "endpoint.json" => HcnSchema.Endpoint,
            "namespace.json" => HcnSchema.Namespace,
            "query.json" => HcnSchema.Query,
            "v1-endpoint.json" => HcnSchema.V1Endpoint,
            "v1-hot-attach.json" => HcnSchema.ComputeSystemModify,
            _ => HcnSchema.ModifyNamespace,
        };
        Assert.Empty(HcnSchema.Validate(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", golden)), shape));
    }

    [Fact]
    public void EndpointGolden_ReadBack_WritesTheSameDocument()
    {
        string golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "endpoint.json"));
        HostComputeEndpoint endpoint = HcnDocuments.Read<HostComputeEndpoint>(golden, "test");

        Assert.Equal(6, endpoint.Policies!.Count);
        Assert.Equal(Normalize(golden), Normalize(HcnDocuments.Write(endpoint)));
    }

    [Fact]
    public void NetworkGolden_ReadBack_WritesTheSameDocument()
    {
        string golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "network.json"));
        Assert.Equal(Normalize(golden), Normalize(HcnDocuments.Write(HcnDocuments.Read<HostComputeNetwork>(golden, "test"))));
    }

    private static string NetworkDocument()
        => HcnDocuments.Write(WindowsNetworkDriver.BuildNetwork(TestData.ParseConfig(), TestData.IpamResult()));

    private static string EndpointDocument()
    {
        WindowsNetworkConfig config = TestData.ParseConfig();
        var dns = WindowsDns.Resolve(config, "default");
        HostComputeEndpoint endpoint = WindowsNetworkDriver.BuildEndpoint(config, TestData.EndpointName, TestData.IpamResult(), dns);
        endpoint.HostComputeNetwork = HcnIds.Format(NetworkId);
        return HcnDocuments.Write(endpoint);
    }

    private static string V1EndpointDocument()
    {
        WindowsNetworkConfig config = TestData.ParseConfig();
        HnsEndpoint endpoint = WindowsNetworkDriver.BuildV1Endpoint(config, TestData.EndpointName, NetworkId, TestData.IpamResult(), WindowsDns.Resolve(config, "default"));
        return HcnDocuments.Write(endpoint);
    }

    // Same members in the same order with the same values; whitespace aside.
    private static string Normalize(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            document.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
