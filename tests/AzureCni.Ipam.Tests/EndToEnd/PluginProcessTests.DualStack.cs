using System.Text.Json;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.EndToEnd;

/// <summary>The published binary on a dual-stack node: one IPv4 and one IPv6 address per ADD, from separate processes.</summary>
public sealed partial class PluginProcessTests
{
    private const int DualStackPods = 30;

    [Fact]
    public void ThirtyParallelDualStackAddsThreeRoundsNoDuplicatesInEitherFamilyAllReleased()
    {
        // 40 of each family for 30 pods: a round's ADDs compete for addresses the previous round released.
        string[] v4 = Enumerable.Range(10, 40).Select(i => "10.240.0." + i).ToArray();
        string[] v6 = Fixtures.V6(0x10, 40);
        using var server = new FakeWireserver(Fixtures.DualStackNmAgentXml("*", v4, v6));
        string config = PluginRun.Config($$"""{"type":"azure-vnet-ipam","queryUrl":"{{server.Url}}","queryInterval":"60"}""");
        var direct = new PluginRun(binary, StateDir);

        for (int round = 0; round < 3; round++)
        {
            var adds = new PluginOutcome[DualStackPods];
            Parallel.For(0, DualStackPods, new ParallelOptions { MaxDegreeOfParallelism = DualStackPods }, i => adds[i] = direct.Invoke("ADD", config, $"r{round}-pod-{i}"));
            Assert.All(adds, a => Assert.True(a.ExitCode == 0, a.ToString()));
            Assert.All(adds, a => Assert.Equal(2, a.Addresses.Length));
            string[] got4 = adds.Select(a => a.Addresses[0]).ToArray();
            string[] got6 = adds.Select(a => a.Addresses[1]).ToArray();
            Assert.All(got4, a => Assert.Contains(a, v4.Select(s => s + "/16")));
            Assert.All(got6, a => Assert.Contains(a, v6.Select(s => s + "/64")));
            Assert.Equal(DualStackPods, got4.Distinct().Count());
            Assert.Equal(DualStackPods, got6.Distinct().Count());
            Assert.All(adds, a => Assert.Equal(["10.240.0.1", "fd00:240::1"], a.Json.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("gateway").GetString())));

            // The state agrees: each pod owns exactly its two addresses.
            var owners = Store.Load().Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).ToList();
            Assert.Equal(2 * DualStackPods, owners.Count);
            for (int i = 0; i < DualStackPods; i++)
            {
                string pod = $"r{round}-pod-{i}";
                Assert.Equal(
                    new[] { got4[i], got6[i] }.Select(a => a.Split('/')[0]).Order(StringComparer.Ordinal),
                    owners.Where(r => r.ContainerId == pod).Select(r => r.Address).Order(StringComparer.Ordinal));
            }

            var dels = new PluginOutcome[DualStackPods];
            Parallel.For(0, DualStackPods, new ParallelOptions { MaxDegreeOfParallelism = DualStackPods }, i => dels[i] = direct.Invoke("DEL", config, $"r{round}-pod-{i}"));
            Assert.All(dels, d => Assert.True(d.ExitCode == 0, d.ToString()));
            Assert.Equal(0, Store.Load().InUseCount());
        }

        Assert.InRange(server.Requests, 1, 5);
    }

    [Fact]
    public void SecondFamilyExhaustedFailsTheAddWith101AndReservesNothing()
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.DualStackInterfacesJson("*", Fixtures.Three, Fixtures.V6(5, 1)));
        string ipam = $$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{_dir.File("interfaces.json")}}"}""";
        var direct = new PluginRun(binary, StateDir);

        var first = direct.Invoke("ADD", PluginRun.Config(ipam), "c1");
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = direct.Invoke("ADD", PluginRun.Config(ipam), "c2");
        Assert.Equal(101, second.ErrorCode);
        Assert.Contains("IPv6", second.Message, StringComparison.Ordinal);
        Assert.Equal(50, direct.Invoke("STATUS", PluginRun.Config(ipam)).ErrorCode);
        Assert.Equal(2, Store.Load().InUseCount());
        Assert.DoesNotContain("\"c2\"", File.ReadAllText(Store.StatePath), StringComparison.Ordinal);

        // GC releases both of an attachment no longer valid; STATUS is ready again.
        var gc = direct.Invoke("GC", PluginRun.GcConfig(ipam));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(0, Store.Load().InUseCount());
        Assert.Equal(0, direct.Invoke("STATUS", PluginRun.Config(ipam)).ExitCode);
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("0.4.0")]
    [InlineData("1.1.0")]
    public void OlderVersionsCarryBothFamilies(string version)
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.DualStackInterfacesJson("*", Fixtures.Three, Fixtures.V6(5, 2)));
        string ipam = $$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{_dir.File("interfaces.json")}}"}""";
        var add = new PluginRun(binary, StateDir).Invoke("ADD", PluginRun.Config(ipam, version), "c1");
        Assert.True(add.ExitCode == 0, add.ToString());
        JsonElement json = add.Json;
        if (version == "0.2.0")
        {
            Assert.Equal("10.240.0.5/16", json.GetProperty("ip4").GetProperty("ip").GetString());
            Assert.Equal("fd00:240::5/64", json.GetProperty("ip6").GetProperty("ip").GetString());
            Assert.Equal("fd00:240::1", json.GetProperty("ip6").GetProperty("gateway").GetString());
            Assert.Equal("::/0", json.GetProperty("ip6").GetProperty("routes")[0].GetProperty("dst").GetString());
        }
        else
        {
            Assert.Equal(["10.240.0.5/16", "fd00:240::5/64"], add.Addresses);
            Assert.Equal(version == "0.4.0" ? "6" : null, json.GetProperty("ips")[1].TryGetProperty("version", out var v) ? v.GetString() : null);
            Assert.Equal(["0.0.0.0/0", "::/0"], json.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("dst").GetString()));
        }
    }

    [RootFact]
    public void SimulatedBedListsIPv6SecondariesOnlyWhenAskedAndTheIpamServesThemThroughItsWireserver()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 3, freshNodes: true, dualStack: true);
        SimNode node = bed.Nodes[0];
        var direct = new PluginRun(binary, node.StateDir);
        string azure = PluginRun.Config("""{"type":"azure-vnet-ipam","environment":"azure"}""");
        string file = PluginRun.Config($$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{Path.Combine(node.Directory, "interfaces.json")}}"}""");

        var fromWireserver = direct.InvokeIn(node.Namespace, "ADD", azure, "pod-a");
        Assert.True(fromWireserver.ExitCode == 0, fromWireserver.ToString());
        Assert.Equal(["10.240.1.5/16", "fd00:240::1:5/64"], fromWireserver.Addresses);
        Assert.Equal(SimulatedAzure.Gateway6, fromWireserver.Json.GetProperty("ips")[1].GetProperty("gateway").GetString());

        // The file source lists the same subnets: it takes the pools over and hands out the next pair.
        var fromFile = direct.InvokeIn(node.Namespace, "ADD", file, "pod-b");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal(2, fromFile.Addresses.Length);
        Assert.StartsWith("fd00:240::1:", fromFile.Addresses[1], StringComparison.Ordinal);
        Assert.Equal(0, direct.InvokeIn(node.Namespace, "DEL", azure, "pod-a").ExitCode);
        Assert.Equal(0, direct.InvokeIn(node.Namespace, "DEL", file, "pod-b").ExitCode);
        Assert.Equal(0, new IpamStore(node.StateDir).Load().InUseCount());

        using SimulatedAzure single = SimulatedAzure.Start(nodes: 1, secondaries: 3, freshNodes: true);
        Assert.DoesNotContain("fd00", File.ReadAllText(Path.Combine(single.Nodes[0].Directory, "nmagent.xml")), StringComparison.Ordinal);
        Assert.DoesNotContain("fd00", File.ReadAllText(Path.Combine(single.Nodes[0].Directory, "interfaces.json")), StringComparison.Ordinal);
    }
}
