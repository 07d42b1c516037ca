using System.Text;
using System.Text.Json;
using AzureCni.Json;
using AzureCni.Json.TestTypes;
using static AzureCni.Json.TestTypes.TestResults;

namespace AzureCni.Generators.Tests.Json;

/// <summary>The code the generator emitted for tests/AzureCni.Json.TestTypes, run on real documents.</summary>
public sealed class GeneratedCodeBehaviourTests
{
    private const string SpecConfList = """
        {
          "cniVersion": "1.1.0",
          "cniVersions": ["0.3.1", "0.4.0", "1.0.0", "1.1.0"],
          "name": "azure",
          "disableCheck": false,
          "disableGC": false,
          "plugins": [
            { "type": "azure-vnet", "mode": "transparent", "ipam": { "type": "azure-vnet-ipam" } },
            { "type": "portmap", "capabilities": { "portMappings": true }, "snat": true }
          ]
        }
        """;

    private const string Result110 = """
        {
          "cniVersion": "1.1.0",
          "interfaces": [
            { "name": "azure0",   "mac": "00:0d:3a:11:22:33", "mtu": 1500 },
            { "name": "azv3243",  "mac": "aa:aa:aa:aa:aa:aa", "mtu": 1500 },
            { "name": "eth0",     "mac": "bb:bb:bb:bb:bb:bb", "mtu": 1500, "sandbox": "/var/run/netns/cni-1234" },
            { "name": "net1",     "sandbox": "/var/run/netns/cni-1234", "socketPath": "/var/run/vhost/net1.sock", "pciID": "0000:04:00.5" }
          ],
          "ips": [ { "address": "10.240.0.37/16", "gateway": "10.240.0.1", "interface": 2 } ],
          "routes": [
            { "dst": "0.0.0.0/0", "gw": "169.254.1.1", "mtu": 1450, "advmss": 1410, "priority": 100, "table": 254, "scope": 0 }
          ],
          "dns": { "nameservers": ["10.0.0.10"], "search": ["svc.cluster.local"] }
        }
        """;

    [Fact]
    public void SpecConfList_ReadsEveryMember()
    {
        TestConfList list = Parse<TestConfList>(SpecConfList);

        Assert.Equal("1.1.0", list.CniVersion);
        Assert.Equal(["0.3.1", "0.4.0", "1.0.0", "1.1.0"], list.CniVersions);
        Assert.Equal("azure", list.Name);
        Assert.False(list.DisableCheck);
        Assert.False(list.DisableGc);
        Assert.Equal(2, list.Plugins.Count);
        Assert.Equal("azure-vnet", list.Plugins[0].Type);
        Assert.Equal("transparent", list.Plugins[0].Mode);
        Assert.Equal("azure-vnet-ipam", list.Plugins[0].Ipam!.Type);
        Assert.Equal("portmap", list.Plugins[1].Type);
        Assert.True(list.Plugins[1].Capabilities!["portMappings"]);
        Assert.True(list.Plugins[1].Snat);
    }

    [Fact]
    public void SpecConfList_RoundTripsToTheSameDocument()
    {
        TestConfList list = Parse<TestConfList>(SpecConfList);

        string written = CniJson.ToJsonString(list);

        AssertJsonEqual(SpecConfList, written);
    }

    [Fact]
    public void AzureVnetConfig_UnknownFieldsSurviveRoundTripInOrderAfterDeclaredMembers()
    {
        // Raw members are copied byte for byte, whitespace included.
        const string config = """
            {
              "type": "azure-vnet",
              "executionMode": "v4swift",
              "mode": "transparent",
              "ipam": { "type": "azure-cns", "mode": "overlay", "queryInterval": 10 },
              "windowsSettings": {"hnsTimeoutDurationInSeconds":120,"enableLoopbackDSR":true},
              "AdditionalArgs": [{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT"}}],
              "runtimeConfig": {"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]},
              "enableSnatOnHost": false
            }
            """;

        TestPlugin plugin = Parse<TestPlugin>(config);
        string written = CniJson.ToJsonString(plugin);

        Assert.Equal(
            """{"type":"azure-vnet","mode":"transparent","ipam":{"type":"azure-cns","mode":"overlay","queryInterval":10},"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]},"executionMode":"v4swift","windowsSettings":{"hnsTimeoutDurationInSeconds":120,"enableLoopbackDSR":true},"AdditionalArgs":[{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT"}}],"enableSnatOnHost":false}""",
            written);
        Assert.Equal(4, plugin.Extra!.Count);
        Assert.Equal("\"v4swift\"", plugin.Extra.Get("executionMode").ToString());
        Assert.Equal("overlay", plugin.Ipam!.Extra.Get("mode").GetString());
    }

    [Fact]
    public void Result110_RoundTripsToTheSameDocument()
    {
        Result result = Parse<Result>(Result110);

        Assert.Equal(4, result.Interfaces!.Count);
        Assert.Equal("0000:04:00.5", result.Interfaces[3].PciId);
        Assert.Null(result.Interfaces[3].Mtu);
        Assert.Equal(2, result.Ips![0].Interface);
        Assert.Equal(0, result.Routes![0].Scope);
        Assert.Equal(254, result.Routes[0].Table);
        Assert.Equal(["10.0.0.10"], result.Dns!.Value.Nameservers);
        AssertJsonEqual(Result110, CniJson.ToJsonString(result));
    }

    [Fact]
    public void MemberNames_MatchCaseInsensitivelyWhenNoExactMatch()
    {
        TestResults.Route route = Parse<TestResults.Route>("""{"Dst":"10.0.0.0/8","GW":"10.0.0.1","ADVMSS":1400}""");

        Assert.Equal("10.0.0.0/8", route.Dst);
        Assert.Equal("10.0.0.1", route.Gw);
        Assert.Equal(1400, route.AdvMss);
    }

    [Fact]
    public void MemberNames_ExactMatchWinsOverCaseInsensitiveOne()
    {
        TestDns dns = Parse<TestDns>("""{"Domain":"upper","domain":"exact"}""");
        TestDns reversed = Parse<TestDns>("""{"domain":"exact","Domain":"upper"}""");

        // Both map to the same member; the last one read wins, as in Go.
        Assert.Equal("exact", dns.Domain);
        Assert.Equal("upper", reversed.Domain);
    }

    [Fact]
    public void EscapedMemberName_IsUnescapedBeforeMatching()
    {
        TestResults.Route route = Parse<TestResults.Route>("""{"\u0064st":"1.2.3.0/24","\u0047w":"1.2.3.1"}""");

        Assert.Equal("1.2.3.0/24", route.Dst);
        Assert.Equal("1.2.3.1", route.Gw);
    }

    [Fact]
    public void WrongTokenType_ThrowsJsonExceptionNamingTheMember()
    {
        var error = Assert.Throws<JsonException>(() => Parse<TestResults.Route>("""{"dst":"x","mtu":"1500"}"""));

        Assert.Contains("Route.mtu", error.Message);
    }

    [Fact]
    public void OutOfRangeNumber_ThrowsJsonExceptionNamingTheMember()
    {
        var error = Assert.Throws<JsonException>(() => Parse<TestScalars>("""{"u8":256}"""));

        Assert.Contains("TestScalars.u8", error.Message);
    }

    [Fact]
    public void MissingRequiredMember_ThrowsJsonException()
    {
        var error = Assert.Throws<JsonException>(() => Parse<TestConfList>("""{"cniVersion":"1.0.0"}"""));

        Assert.Contains("TestConfList.name", error.Message);
    }

    [Fact]
    public void JsonNull_ReadsAsNullForNullableMembersAndLeavesOthersUnset()
    {
        TestPlugin plugin = Parse<TestPlugin>("""{"type":null,"mode":null,"ipam":null,"snat":null,"runtimeConfig":null}""");

        Assert.Equal("", plugin.Type); // non-nullable: keeps its initializer
        Assert.Null(plugin.Mode);
        Assert.Null(plugin.Ipam);
        Assert.Null(plugin.Snat);
        Assert.Equal("null", plugin.RuntimeConfig.ToString()); // RawJson keeps null as written
    }

    [Fact]
    public void JsonNull_AsAnElementOfANonNullableType_IsAJsonException()
    {
        var strings = Assert.Throws<JsonException>(() => Parse<TestConfList>("""{"cniVersions":["1.0.0",null]}"""));
        Assert.Contains("TestConfList.cniVersions", strings.Message);
        var objects = Assert.Throws<JsonException>(() => Parse<TestConfList>("""{"plugins":[null]}"""));
        Assert.Contains("TestConfList.plugins", objects.Message);
    }

    [Fact]
    public void AllScalarKinds_RoundTrip()
    {
        const string json = """{"text":"h\u00e9llo \"q\" \\ \n","flag":true,"i8":-128,"u8":255,"i16":-32768,"u16":65535,"i32":-2147483648,"u32":4294967295,"i64":-9223372036854775808,"u64":18446744073709551615,"real":1.5,"maybeInt":7,"maybeReal":-0.25,"numbers":[1,2,3],"nested":[["a",null],[]],"counts":{"x":1,"y":null},"raws":[{"a":[1,2]},"s",null,3],"free":{"k":{"z":true}},"maybeRaw":[true]}""";

        TestScalars value = Parse<TestScalars>(json);

        Assert.Equal("héllo \"q\" \\ \n", value.Text);
        Assert.Equal(sbyte.MinValue, value.I8);
        Assert.Equal(ulong.MaxValue, value.U64);
        Assert.Equal([1, 2, 3], value.Numbers!);
        Assert.Null(value.Nested![0][1]);
        Assert.Null(value.Counts!["y"]);
        Assert.Equal(4, value.Raws!.Count);
        Assert.Equal("{\"z\":true}", value.Free!.Get("k").ToString());
        Assert.Equal("héllo \"q\" \\ \n", JsonDocument.Parse(CniJson.ToJsonString(value)).RootElement.GetProperty("text").GetString());
        AssertJsonEqual(json, CniJson.ToJsonString(value));
    }

    [Fact]
    public void CommentsAndTrailingCommas_AreAcceptedAndNotCopiedIntoRawValues()
    {
        const string json = """
            {
              // a comment
              "type": "bridge",
              "runtimeConfig": { "a": [1, 2,], /* inline */ "b": "/not a comment/", },
              "extra": [ "x", ],
            }
            """;

        TestPlugin plugin = Parse<TestPlugin>(json);

        Assert.Equal("""{"a":[1,2],"b":"/not a comment/"}""", plugin.RuntimeConfig.ToString());
        Assert.Equal("""["x"]""", plugin.Extra!.Get("extra").ToString());
        Assert.Equal("""{"type":"bridge","runtimeConfig":{"a":[1,2],"b":"/not a comment/"},"extra":["x"]}""", CniJson.ToJsonString(plugin));
    }

    [Fact]
    public void RawValues_WithoutCommentsAreCopiedVerbatim()
    {
        TestPlugin plugin = Parse<TestPlugin>("""{"runtimeConfig": { "a" : [ 1 , 2 ] , "s":"x\/y" } }""");

        Assert.Equal("""{ "a" : [ 1 , 2 ] , "s":"x\/y" }""", plugin.RuntimeConfig.ToString());
    }

    [Fact]
    public void NotAnObject_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => Parse<TestPlugin>("[1]"));
        Assert.ThrowsAny<JsonException>(() => Parse<TestPlugin>("{\"type\":\"x\"} {}"));
        Assert.ThrowsAny<JsonException>(() => Parse<TestPlugin>("{\"type\":\"x\""));
    }

    [Fact]
    public void NestedStructAndRecord_RoundTrip()
    {
        const string json = """{"dns":{"nameservers":["1.1.1.1"],"domain":"d","search":["s"],"options":["ndots:5"]},"cni.dev/valid-attachments":[{"containerID":"abc","ifname":"eth0"}]}""";

        TestPlugin plugin = Parse<TestPlugin>(json);

        Assert.Equal(new TestAttachment { ContainerId = "abc", IfName = "eth0" }, plugin.ValidAttachments![0]);
        Assert.Equal("{\"type\":\"\"," + json[1..], CniJson.ToJsonString(plugin));
    }

    [Fact]
    public void WriteIntoReusedPooledBuffer_AllocatesNothingAfterWarmUp()
    {
        Result result = Parse<Result>(Result110);
        using var buffer = new PooledBufferWriter();
        for (int i = 0; i < 3; i++)
        {
            buffer.Clear();
            CniJson.Write(result, buffer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            buffer.Clear();
            CniJson.Write(result, buffer);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        AssertJsonEqual(Result110, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static T Parse<T>(string json) where T : ICniJsonObject<T> => CniJson.Parse<T>(Encoding.UTF8.GetBytes(json));

    // Structural comparison: same members in the same order with the same values, whitespace aside.
    internal static void AssertJsonEqual(string expected, string actual)
    {
        static string Canonical(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                document.WriteTo(writer);
            return Encoding.UTF8.GetString(output.WrittenSpan);
        }

        Assert.Equal(Canonical(expected), Canonical(actual));
    }
}

public sealed class InitOnlyMemberTests
{
    [Fact]
    public void AbsentInitOnlyMembers_KeepTheirInitializers()
    {
        TestInitDefaults value = CniJson.Parse<TestInitDefaults>("""{"name":"n"}"""u8);

        Assert.Equal("transparent", value.Mode);
        Assert.Equal(1500, value.Mtu);
        Assert.Equal(["default.svc"], value.Search);
        Assert.Empty(value.Extra);
    }

    [Fact]
    public void PresentInitOnlyMembers_AreSet()
    {
        TestInitDefaults value = CniJson.Parse<TestInitDefaults>("""{"name":"n","mode":"bridge","mtu":9000,"search":[],"other":1}"""u8);

        Assert.Equal("bridge", value.Mode);
        Assert.Equal(9000, value.Mtu);
        Assert.Empty(value.Search);
        Assert.Equal("1", value.Extra.Get("other").ToString());
    }

    [Fact]
    public void DerivedType_SetsInheritedInitMembersAndWritesBaseMembersFirst()
    {
        TestDerivedInit value = CniJson.Parse<TestDerivedInit>("""{"class":"c","snat":false,"mode":"bridge","name":"n","x":[1]}"""u8);

        Assert.Equal("bridge", value.Mode);
        Assert.False(value.Snat);
        Assert.Equal("c", value.@class);
        Assert.Equal("""{"mode":"bridge","mtu":1500,"search":["default.svc"],"name":"n","snat":false,"class":"c","x":[1]}""", CniJson.ToJsonString(value));
    }

    [Fact]
    public void ReadOnlyStruct_InitMembersAreSetOnlyWhenPresent()
    {
        TestReadOnlyStruct absent = CniJson.Parse<TestReadOnlyStruct>("{}"u8);
        TestReadOnlyStruct present = CniJson.Parse<TestReadOnlyStruct>("""{"kind":"macvlan","vlan":7}"""u8);

        Assert.Equal("veth", absent.Kind);
        Assert.Null(absent.Vlan);
        Assert.Equal("macvlan", present.Kind);
        Assert.Equal(7, present.Vlan);
    }
}

public sealed class CniJsonWriteTests
{
    [Fact]
    public void HandWrittenDocument_IntoReusedPooledBuffer_AllocatesNothingAfterWarmUp()
    {
        var dns = new TestDns { Nameservers = ["10.0.0.10"], Domain = "cluster.local" };
        using var buffer = new PooledBufferWriter();
        for (int i = 0; i < 3; i++)
        {
            buffer.Clear();
            WriteEnvelope(buffer, dns);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            buffer.Clear();
            WriteEnvelope(buffer, dns);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal("""{"code":7,"dns":{"nameservers":["10.0.0.10"],"domain":"cluster.local"}}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void NestedWrite_UsesItsOwnWriterAndLeavesTheOuterDocumentIntact()
    {
        using var outer = new PooledBufferWriter();
        using var inner = new PooledBufferWriter();

        CniJson.Write(outer, inner, static (writer, inner) =>
        {
            writer.WriteStartObject();
            writer.WriteString("a"u8, "1");
            CniJson.Write(new TestDns { Domain = "d" }, inner);
            writer.WriteString("b"u8, "2");
            writer.WriteEndObject();
        });

        Assert.Equal("""{"a":"1","b":"2"}""", Encoding.UTF8.GetString(outer.WrittenSpan));
        Assert.Equal("""{"domain":"d"}""", Encoding.UTF8.GetString(inner.WrittenSpan));
    }

    [Fact]
    public void FailedWrite_DoesNotPoisonTheNextOne()
    {
        using var buffer = new PooledBufferWriter();
        Assert.Throws<InvalidOperationException>(() => CniJson.Write(buffer, 0, static (writer, _) =>
        {
            writer.WriteStartObject();
            throw new InvalidOperationException("boom");
        }));

        buffer.Clear();
        CniJson.Write(new TestDns { Domain = "ok" }, buffer);

        Assert.Equal("""{"domain":"ok"}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteEnvelope(PooledBufferWriter buffer, TestDns dns)
        => CniJson.Write(buffer, dns, static (writer, dns) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, 7);
            writer.WritePropertyName("dns"u8);
            dns.WriteJson(writer);
            writer.WriteEndObject();
        });
}

public sealed class CniJsonParseTests
{
    [Fact]
    public void Utf8ByteOrderMark_IsIgnored()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. """{"domain":"d"}"""u8];

        Assert.Equal("d", CniJson.Parse<TestDns>(json).Domain);
    }

    [Fact]
    public void NestingDeeperThan64_IsRejected()
    {
        string deep = "{\"runtimeConfig\":" + new string('[', 70) + new string(']', 70) + "}";

        Assert.ThrowsAny<JsonException>(() => CniJson.Parse<TestPlugin>(Encoding.UTF8.GetBytes(deep)));
    }

    [Fact]
    public void NestingOf60_IsAccepted()
    {
        string deep = "{\"runtimeConfig\":" + new string('[', 60) + new string(']', 60) + "}";

        TestPlugin plugin = CniJson.Parse<TestPlugin>(Encoding.UTF8.GetBytes(deep));

        Assert.Equal(new string('[', 60) + new string(']', 60), plugin.RuntimeConfig.ToString());
    }

    [Fact]
    public void EmptyInput_IsRejected()
    {
        Assert.ThrowsAny<JsonException>(() => CniJson.Parse<TestDns>(""u8));
        Assert.ThrowsAny<JsonException>(() => CniJson.Parse<TestDns>("   "u8));
    }
}
