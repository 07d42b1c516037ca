using AzureCni.Cni.Types;

namespace AzureCni.Cni.Tests;

/// <summary>
/// Every pair of spec versions (7x7): a result written in version A is read into the model and written in
/// version B, and must equal what libcni's converters produce (cni-spec-and-peers.md §1.9), member order included.
/// </summary>
public class ConversionTests
{
    public static TheoryData<string, string> AllPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var from in CniVersion.Supported)
        {
            foreach (var to in CniVersion.Supported)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    // A 1.1.0 result that uses every member: two interfaces (one with the 1.1 fields), three addresses
    // (IPv4, IPv6, a second IPv4), routes of both families with the 1.1 route fields, and DNS.
    private const string Source1x = """
    {"cniVersion":"VER",
     "interfaces":[{"name":"azure0","mac":"00:0d:3a:11:22:33","mtu":1500},
                   {"name":"eth0","mac":"bb:bb:bb:bb:bb:bb","mtu":1450,"sandbox":"/var/run/netns/cni-1","socketPath":"/run/vhost/eth0.sock","pciID":"0000:04:00.5"}],
     "ips":[{"interface":1,"address":"10.240.0.37/16","gateway":"10.240.0.1"},
            {"interface":1,"address":"fd00::25/64","gateway":"fd00::1"},
            {"interface":1,"address":"10.241.0.5/24"}],
     "routes":[{"dst":"0.0.0.0/0","gw":"169.254.1.1","mtu":1450,"advmss":1410,"priority":100,"table":254,"scope":0},
               {"dst":"::/0","gw":"fd00::1"},
               {"dst":"10.0.0.0/8"}],
     "dns":{"nameservers":["10.0.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}}
    """;

    // 0.3.x/0.4.0 shape: ips carry version; a route with a 1.1 field (libcni's shared Route type reads it too).
    private const string Source04 = """
    {"cniVersion":"VER",
     "interfaces":[{"name":"azure0","mac":"00:0d:3a:11:22:33"},
                   {"name":"eth0","mac":"bb:bb:bb:bb:bb:bb","sandbox":"/var/run/netns/cni-1"}],
     "ips":[{"version":"4","interface":1,"address":"10.240.0.37/16","gateway":"10.240.0.1"},
            {"version":"6","interface":1,"address":"fd00::25/64","gateway":"fd00::1"},
            {"version":"4","interface":1,"address":"10.241.0.5/24"}],
     "routes":[{"dst":"0.0.0.0/0","gw":"169.254.1.1","mtu":1450},
               {"dst":"::/0","gw":"fd00::1"},
               {"dst":"10.0.0.0/8"}],
     "dns":{"nameservers":["10.0.0.10"],"search":["svc.cluster.local"]}}
    """;

    private const string Source02 = """
    {"cniVersion":"VER",
     "ip4":{"ip":"10.1.0.5/16","gateway":"10.1.0.1","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"10.1.0.254"}]},
     "ip6":{"ip":"fd00::5/64","gateway":"fd00::1","routes":[{"dst":"::/0"}]},
     "dns":{"nameservers":["10.1.0.1"],"domain":"example.local","search":["svc.cluster.local"],"options":["ndots:5"]}}
    """;

    private static string SourceFor(string version) =>
        (version.StartsWith("1.", StringComparison.Ordinal) ? Source1x : version.StartsWith("0.3", StringComparison.Ordinal) || version == "0.4.0" ? Source04 : Source02)
        .Replace("VER", version, StringComparison.Ordinal);

    private static string Expected(string from, string to)
    {
        bool fromLegacy = from is "0.1.0" or "0.2.0";
        bool from1x = from.StartsWith("1.", StringComparison.Ordinal);
        bool toLegacy = to is "0.1.0" or "0.2.0";
        bool to1x = to.StartsWith("1.", StringComparison.Ordinal);
        string ver4 = to1x ? "" : "\"version\":\"4\",";
        string ver6 = to1x ? "" : "\"version\":\"6\",";

        if (fromLegacy)
        {
            if (toLegacy)
            {
                return SourceFor(to);
            }

            // 0.2.0 -> 0.3.0: ip4 then ip6 become ips, their routes appended in that order; no interfaces.
            return """
                {"cniVersion":"@TO@",
                 "ips":[{@V4@"address":"10.1.0.5/16","gateway":"10.1.0.1"},{@V6@"address":"fd00::5/64","gateway":"fd00::1"}],
                 "routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"10.1.0.254"},{"dst":"::/0"}],
                 "dns":{"nameservers":["10.1.0.1"],"domain":"example.local","search":["svc.cluster.local"],"options":["ndots:5"]}}
                """.Replace("@TO@", to).Replace("@V4@", ver4).Replace("@V6@", ver6);
        }

        string dns = from1x
            ? """{"nameservers":["10.0.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}"""
            : """{"nameservers":["10.0.0.10"],"search":["svc.cluster.local"]}""";
        string route0 = from1x
            ? """{"dst":"0.0.0.0/0","gw":"169.254.1.1","mtu":1450,"advmss":1410,"priority":100,"table":254,"scope":0}"""
            : """{"dst":"0.0.0.0/0","gw":"169.254.1.1","mtu":1450}""";

        if (toLegacy)
        {
            // Only the first IPv4 and the first IPv6 address; routes under them by family, dst/gw only.
            return """
                {"cniVersion":"@TO@",
                 "ip4":{"ip":"10.240.0.37/16","gateway":"10.240.0.1","routes":[{"dst":"0.0.0.0/0","gw":"169.254.1.1"},{"dst":"10.0.0.0/8"}]},
                 "ip6":{"ip":"fd00::25/64","gateway":"fd00::1","routes":[{"dst":"::/0","gw":"fd00::1"}]},
                 "dns":@DNS@}
                """.Replace("@TO@", to).Replace("@DNS@", dns);
        }

        string interfaces = from1x && to1x
            ? """[{"name":"azure0","mac":"00:0d:3a:11:22:33","mtu":1500},{"name":"eth0","mac":"bb:bb:bb:bb:bb:bb","mtu":1450,"sandbox":"/var/run/netns/cni-1","socketPath":"/run/vhost/eth0.sock","pciID":"0000:04:00.5"}]"""
            : """[{"name":"azure0","mac":"00:0d:3a:11:22:33"},{"name":"eth0","mac":"bb:bb:bb:bb:bb:bb","sandbox":"/var/run/netns/cni-1"}]""";
        return """
            {"cniVersion":"@TO@","interfaces":@IF@,
             "ips":[{@V4@"interface":1,"address":"10.240.0.37/16","gateway":"10.240.0.1"},
                    {@V6@"interface":1,"address":"fd00::25/64","gateway":"fd00::1"},
                    {@V4@"interface":1,"address":"10.241.0.5/24"}],
             "routes":[@R0@,{"dst":"::/0","gw":"fd00::1"},{"dst":"10.0.0.0/8"}],
             "dns":@DNS@}
            """.Replace("@TO@", to).Replace("@IF@", interfaces).Replace("@V4@", ver4).Replace("@V6@", ver6).Replace("@R0@", route0).Replace("@DNS@", dns);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void ConvertsLikeLibcni(string from, string to)
    {
        var result = JsonText.Read(SourceFor(from));
        Assert.True(CniVersion.TryParse(to, out var target));
        Assert.Equal(JsonText.Normalize(Expected(from, to)), JsonText.Write(result, target));
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void ResultWithoutAddressesFailsOnlyTowardsLegacyVersions(string from, string to)
    {
        if (from is "0.1.0" or "0.2.0")
        {
            return; // a legacy result always has an address; covered by the rich pairs
        }

        var result = JsonText.Read($$"""{"cniVersion":"{{from}}","interfaces":[{"name":"eth0"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"}]}""");
        Assert.True(CniVersion.TryParse(to, out var target));
        if (target.IsLegacy())
        {
            var e = Assert.Throws<CniException>(() => JsonText.Write(result, target));
            Assert.Contains("no valid IP addresses", e.Message);
        }
        else
        {
            string json = JsonText.Write(result, target);
            Assert.Contains("\"interfaces\":[{\"name\":\"eth0\"}]", json);
            Assert.DoesNotContain("\"ips\"", json);
        }
    }

    [Fact]
    public void EmptyDnsIsDroppedFrom1xButKeptInOlderVersions()
    {
        var result = JsonText.Read("""{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}],"dns":{}}""");
        Assert.Equal("""{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}]}""", JsonText.Write(result, SpecVersion.V1_1_0));
        Assert.Equal("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}""", JsonText.Write(result, SpecVersion.V1_0_0));
        Assert.Equal("""{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"}],"dns":{}}""", JsonText.Write(result, SpecVersion.V0_4_0));
        Assert.Equal("""{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24"},"dns":{}}""", JsonText.Write(result, SpecVersion.V0_2_0));
    }

    [Fact]
    public void OnlyIPv6ConvertsTo020WithIp6Alone()
    {
        var result = JsonText.Read("""{"cniVersion":"1.0.0","ips":[{"address":"fd00::2/64"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]}""");
        Assert.Equal(
            """{"cniVersion":"0.1.0","ip6":{"ip":"fd00::2/64","routes":[{"dst":"::/0"}]},"dns":{}}""",
            JsonText.Write(result, SpecVersion.V0_1_0));
    }

    [Fact]
    public void ZeroTableAndScopeAreKeptZeroMtuIsDropped()
    {
        var result = JsonText.Read("""{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}],"routes":[{"dst":"0.0.0.0/0","mtu":0,"priority":0,"table":0,"scope":0}],"interfaces":[{"name":"eth0","mtu":0}]}""");
        string json = JsonText.Write(result, SpecVersion.V1_1_0);
        Assert.Contains("""{"dst":"0.0.0.0/0","table":0,"scope":0}""", json);
        Assert.Contains("""{"name":"eth0"}""", json);
    }

    [Fact]
    public void ResultWithoutVersionTakesTheFallback()
    {
        var asLegacy = JsonText.Read("""{"ip4":{"ip":"10.0.0.5/24"},"ips":[{"address":"10.9.9.9/24"}]}""", "0.2.0");
        Assert.Equal("10.0.0.5/24", Assert.Single(asLegacy.Ips).Address.ToString());
        var asNew = JsonText.Read("""{"ip4":{"ip":"10.0.0.5/24"},"ips":[{"address":"10.9.9.9/24"}]}""", "1.1.0");
        Assert.Equal("10.9.9.9/24", Assert.Single(asNew.Ips).Address.ToString());
        Assert.Equal(CniErrorCode.DecodingFailure, Assert.Throws<CniException>(() => JsonText.Read("""{"ips":[]}""")).Code);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.300/24"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10/8"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3/33"}]}""", "ips[0].address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3/24","gateway":"x"}]}""", "ips[0].gateway")]
    [InlineData("""{"cniVersion":"1.0.0","routes":[{"dst":"fd00::/129"}]}""", "routes[0].dst")]
    [InlineData("""{"cniVersion":"0.2.0","ip4":{"ip":"fe80::1%eth0/64"}}""", "ip4.ip")]
    [InlineData("""{"cniVersion":"7.0.0"}""", "7.0.0")]
    public void BadAddressesAreDecodingErrorsNamingTheMember(string json, string where)
    {
        var e = Assert.Throws<CniException>(() => JsonText.Read(json));
        Assert.Equal(CniErrorCode.DecodingFailure, e.Code);
        Assert.Contains(where, e.Message);
    }

    [Fact]
    public void RouteDestinationHostBitsAreCleared()
    {
        var result = JsonText.Read("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.3/24"}],"routes":[{"dst":"10.0.0.77/24"}]}""");
        Assert.Equal("10.0.0.0/24", result.Routes[0].Destination.ToString());
    }
}
