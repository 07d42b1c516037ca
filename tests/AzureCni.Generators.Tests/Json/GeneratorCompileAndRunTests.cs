using System.Reflection;
using static AzureCni.Generators.Tests.Json.GeneratedCodeBehaviourTests;

namespace AzureCni.Generators.Tests.Json;

/// <summary>Sources compiled in memory with the generator, then the emitted code loaded and run on real documents.</summary>
public sealed class GeneratorCompileAndRunTests
{
    private const string Types = """
        using System.Collections.Generic;
        using System.Text;
        using AzureCni.Json;

        namespace Sample.Cni;

        [CniJsonObject]
        public sealed partial class PluginConf
        {
            public required string CniVersion { get; init; }
            public string? Name { get; set; }
            public string Type { get; set; } = "";
            public Dictionary<string, bool>? Capabilities { get; set; }
            public IpamConf? Ipam { get; set; }
            public RawJson RuntimeConfig { get; set; }
            public RawJson PrevResult { get; set; }
            [JsonUnknownFields] public JsonFieldBag? Unknown { get; set; }
        }

        [CniJsonObject]
        public partial class IpamConf
        {
            public string? Type { get; set; }
            public string? Subnet { get; set; }
            public List<Route>? Routes { get; set; }
        }

        public static partial class Results
        {
            [CniJsonObject]
            public partial record Result
            {
                public string CniVersion { get; set; } = "";
                public List<Interface>? Interfaces { get; set; }
                [JsonName("ips")] public IpConfig[]? Ips { get; set; }
                public List<Route>? Routes { get; set; }
                public Dns? Dns { get; set; }
            }

            [CniJsonObject]
            public partial struct Interface
            {
                public string Name { get; set; }
                public string? Mac { get; set; }
                public int? Mtu { get; set; }
                public string? Sandbox { get; set; }
                public string? SocketPath { get; set; }
                [JsonName("pciID")] public string? PciId { get; set; }
            }

            [CniJsonObject]
            public partial class IpConfig
            {
                public required string Address { get; init; }
                public string? Gateway { get; init; }
                public int? Interface { get; init; }
            }
        }

        [CniJsonObject]
        public partial class Route
        {
            public string Dst { get; set; } = "";
            public string? Gw { get; set; }
            public int? Mtu { get; set; }
            [JsonName("advmss")] public int? AdvMss { get; set; }
            public int? Priority { get; set; }
            public uint? Table { get; set; }
            public byte? Scope { get; set; }
        }

        [CniJsonObject]
        public partial class Dns
        {
            public List<string>? Nameservers { get; set; }
            public string? Domain { get; set; }
            public List<string>? Search { get; set; }
            public List<string>? Options { get; set; }
        }

        public static class Entry
        {
            public static string RoundTripPlugin(string json) => CniJson.ToJsonString(CniJson.Parse<PluginConf>(Encoding.UTF8.GetBytes(json)));
            public static string RoundTripResult(string json) => CniJson.ToJsonString(CniJson.Parse<Results.Result>(Encoding.UTF8.GetBytes(json)));
            public static string PluginSummary(string json)
            {
                PluginConf conf = CniJson.Parse<PluginConf>(Encoding.UTF8.GetBytes(json));
                return $"{conf.CniVersion}|{conf.Name}|{conf.Type}|{conf.Ipam?.Type}|{conf.Capabilities?.Count}|{conf.Unknown?.Count}|{conf.RuntimeConfig}";
            }
        }
        """;

    private static readonly Lazy<Assembly> s_sample = new(() => GeneratorHarness.Json.CompileAndLoad(Types));

    [Fact]
    public void ConfListPluginFromSpec_ReadsAndWritesBack()
    {
        const string plugin = """{ "cniVersion": "1.1.0", "name": "azure", "type": "portmap", "capabilities": { "portMappings": true }, "snat": true }""";

        Assert.Equal("1.1.0|azure|portmap||1|1|", Invoke("PluginSummary", plugin));
        AssertJsonEqual(plugin, Invoke("RoundTripPlugin", plugin));
    }

    [Fact]
    public void AzureVnetConfig_KeepsUnknownFieldsOnRoundTrip()
    {
        const string config = """
            {
              "cniVersion": "0.3.0",
              "name": "azure",
              "type": "azure-vnet",
              "mode": "transparent",
              "executionMode": "v4swift",
              "ipsToRouteViaHost": ["169.254.20.10"],
              "ipam": { "type": "azure-vnet-ipam", "routes": [ { "dst": "0.0.0.0/0" } ] },
              "dns": {},
              "runtimeConfig": {"dns":{"servers":["10.0.0.10"]}},
              "prevResult": {"cniVersion":"1.0.0","ips":[]},
              "windowsSettings": { "enableLoopbackDSR": true }
            }
            """;
        const string expected = """
            {"cniVersion":"0.3.0","name":"azure","type":"azure-vnet","ipam":{"type":"azure-vnet-ipam","routes":[{"dst":"0.0.0.0/0"}]},
             "runtimeConfig":{"dns":{"servers":["10.0.0.10"]}},"prevResult":{"cniVersion":"1.0.0","ips":[]},
             "mode":"transparent","executionMode":"v4swift","ipsToRouteViaHost":["169.254.20.10"],"dns":{},"windowsSettings":{"enableLoopbackDSR":true}}
            """;

        Assert.Equal("0.3.0|azure|azure-vnet|azure-vnet-ipam||5|{\"dns\":{\"servers\":[\"10.0.0.10\"]}}", Invoke("PluginSummary", config));
        AssertJsonEqual(expected, Invoke("RoundTripPlugin", config));
    }

    [Fact]
    public void Result110_RoundTrips()
    {
        const string result = """
            {
              "cniVersion": "1.1.0",
              "interfaces": [
                { "name": "azure0", "mac": "00:0d:3a:11:22:33", "mtu": 1500 },
                { "name": "eth0", "mac": "bb:bb:bb:bb:bb:bb", "mtu": 1500, "sandbox": "/var/run/netns/cni-1234" },
                { "name": "net1", "sandbox": "/var/run/netns/cni-1234", "socketPath": "/var/run/vhost/net1.sock", "pciID": "0000:04:00.5" }
              ],
              "ips": [ { "address": "10.240.0.37/16", "gateway": "10.240.0.1", "interface": 1 } ],
              "routes": [ { "dst": "0.0.0.0/0", "gw": "169.254.1.1", "mtu": 1450, "advmss": 1410, "priority": 100, "table": 254, "scope": 0 } ],
              "dns": { "nameservers": ["10.0.0.10"], "search": ["svc.cluster.local"] }
            }
            """;

        AssertJsonEqual(result, Invoke("RoundTripResult", result));
    }

    [Fact]
    public void MissingRequiredMember_Throws()
    {
        var error = Assert.Throws<TargetInvocationException>(() => Invoke("PluginSummary", """{"name":"x"}"""));

        Assert.IsType<System.Text.Json.JsonException>(error.InnerException);
        Assert.Contains("PluginConf.cniVersion", error.InnerException!.Message);
    }

    private static string Invoke(string method, string json)
        => (string)s_sample.Value.GetType("Sample.Cni.Entry", throwOnError: true)!.GetMethod(method)!.Invoke(null, [json])!;
}
