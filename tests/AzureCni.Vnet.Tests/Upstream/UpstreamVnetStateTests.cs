using System.Net;
using System.Text;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Ipam.State;
using AzureCni.Ipam.State.Upstream;
using AzureCni.Json;
using AzureCni.Netlink;
using AzureCni.Vnet.Export;
using AzureCni.Vnet.State;
using AzureCni.Vnet.State.Upstream;
using AzureCni.Vnet.Tests.DataPath;

namespace AzureCni.Vnet.Tests.Upstream;

/// <summary>Taking over upstream Azure CNI's azure-vnet.json (and its pods), and writing both files back for a rollback.</summary>
public sealed class UpstreamVnetStateTests : IDisposable
{
    private const string CidBridge1 = "1f2e3d4c5b6a79880716253443526170e1f2a3b4c5d6e7f8091a2b3c4d5e6f70";
    private const string CidBridge2 = "9a8b7c6d5e4f30211203f4e5d6c7b8a9a0b1c2d3e4f5061728394a5b6c7d8e9f";
    private const string CidTransparent = "7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a2918070f1e2d3c4b5a6978";

    // Upstream's shapes field by field (network/manager.go, network.go, endpoint.go); the host veth names are
    // upstream's own: "azv" + SHA-1 of the pod's "<namespace>.<name>" (transparent) or "azure"+cid+ifname (bridge).
    private const string Endpoint = """
        "SandboxKey":"","InfraVnetIP":{"IP":"","Mask":null},"LocalIP":"","DNS":{"Suffix":"","Servers":["168.63.129.16"],"Options":null},
        "Routes":[{"Dst":{"IP":"0.0.0.0","Mask":"AAAAAA=="},"Src":"","Gw":"10.240.0.1","Protocol":0,"DevName":"","Scope":0,"Priority":0,"Table":0}],
        "VlanID":0,"EnableSnatOnHost":false,"EnableInfraVnet":false,"EnableMultitenancy":false,"AllowInboundFromHostToNC":false,"AllowInboundFromNCToHost":false,"NetworkContainerID":"",
        "SecondaryInterfaces":{},"NICType":"InfraNIC"
        """;

    public const string GoldenBridge = """
        {"Network":{"CnsClient":null,"Version":"v1.6.21","TimeStamp":"2026-03-02T10:15:31.5Z","ExternalInterfaces":{"eth0":{"Name":"eth0",
         "Networks":{"azure":{"Id":"azure","Mode":"bridge","VlanId":0,
          "Subnets":[{"Family":2,"Prefix":{"IP":"10.240.0.0","Mask":"//8AAA=="},"Gateway":"10.240.0.1","PrimaryIP":""}],
          "Endpoints":{
           "1f2e3d4c-eth0":{"Id":"1f2e3d4c-eth0","IfName":"eth0","HostIfName":"azv806ccca4071","MacAddress":"Ar0K8AAF",
            "IPAddresses":[{"IP":"10.240.0.5","Mask":"//8AAA=="}],"Gateways":["10.240.0.1"],
            "NetworkNameSpace":"/var/run/netns/cni-1","ContainerID":"1f2e3d4c5b6a79880716253443526170e1f2a3b4c5d6e7f8091a2b3c4d5e6f70",
            "PODName":"api-7c9d8f6b5-q2w3e","PODNameSpace":"default",
        """ + Endpoint + """
        },
           "9a8b7c6d-eth0":{"Id":"9a8b7c6d-eth0","IfName":"azv0769333bfe22","HostIfName":"azv0769333bfe2","MacAddress":"Ar0K8AAG",
            "IPAddresses":[{"IP":"10.240.0.6","Mask":"//8AAA=="}],"Gateways":["10.240.0.1"],
            "NetworkNameSpace":"/var/run/netns/cni-2","ContainerID":"9a8b7c6d5e4f30211203f4e5d6c7b8a9a0b1c2d3e4f5061728394a5b6c7d8e9f",
            "PODName":"db-0","PODNameSpace":"data",
        """ + Endpoint + """
        }},
          "DNS":{"Suffix":"","Servers":null,"Options":null},"EnableSnatOnHost":false,"NetNs":"","SnatBridgeIP":""}},
         "Subnets":["10.240.0.0/16"],"BridgeName":"azure0","DNSInfo":{"Suffix":"synthetic.internal.cloudapp.net","Servers":["168.63.129.16"],"Options":null},
         "MacAddress":"Ar0K8AAE","IPAddresses":[{"IP":"10.240.0.4","Mask":"//8AAA=="}],
         "Routes":[{"Family":2,"Dst":null,"Src":"10.240.0.4","Gw":"10.240.0.1","Tos":0,"Table":254,"Protocol":16,"Scope":0,"Type":1,"Flags":0,"Priority":100,"LinkIndex":2,"ILinkIndex":0}],
         "IPv4Gateway":"10.240.0.1","IPv6Gateway":"::"}}}}
        """;

    public const string GoldenTransparent = """
        {"Network":{"CnsClient":null,"Version":"v1.6.21","TimeStamp":"2026-03-02T11:00:00.25Z","ExternalInterfaces":{"eth0":{"Name":"eth0",
         "Networks":{"azure":{"Id":"azure","Mode":"transparent","VlanId":0,
          "Subnets":[{"Family":2,"Prefix":{"IP":"10.240.0.0","Mask":"//8AAA=="},"Gateway":"10.240.0.1","PrimaryIP":""}],
          "Endpoints":{"7e6d5c4b-eth0":{"Id":"7e6d5c4b-eth0","IfName":"eth0","HostIfName":"azv28bc200b40b","MacAddress":"Ar0K8AEX",
           "IPAddresses":[{"IP":"10.240.0.6","Mask":"//8AAA=="}],"Gateways":["0.0.0.0"],
           "NetworkNameSpace":"/fake/netns/up1","ContainerID":"7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a2918070f1e2d3c4b5a6978",
           "PODName":"web-6d4cf56db6-x7k2p","PODNameSpace":"default",
        """ + Endpoint + """
        }},
          "DNS":{"Suffix":"","Servers":null,"Options":null},"EnableSnatOnHost":false,"NetNs":"","SnatBridgeIP":""}},
         "Subnets":["10.240.0.0/16"],"BridgeName":"","DNSInfo":{"Suffix":"","Servers":null,"Options":null},"MacAddress":"Ar0K8AAE",
         "IPAddresses":null,"Routes":null,"IPv4Gateway":"0.0.0.0","IPv6Gateway":"::"}}}}
        """;

    public const string GoldenIpam = """
        {"IPAM":{"Version":"v1.6.21","TimeStamp":"2026-03-02T10:15:30.123456789Z","AddressSpaces":{"local":{"Id":"local","Scope":0,"Pools":{
         "10.240.0.0/16":{"Id":"10.240.0.0/16","IfName":"eth0","Subnet":{"IP":"10.240.0.0","Mask":"//8AAA=="},"Gateway":"10.240.0.1","Addresses":{
          "10.240.0.5":{"ID":"","Addr":"10.240.0.5","InUse":false},
          "10.240.0.6":{"ID":"7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a2918070f1e2d3c4b5a6978","Addr":"10.240.0.6","InUse":true},
          "10.240.0.7":{"ID":"","Addr":"10.240.0.7","InUse":false}},"IsIPv6":false,"Priority":0,"RefCount":1}}}}}}
        """;

    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    private static UpstreamVnetFile Parse(string json) => CniJson.Parse<UpstreamVnetFile>(Encoding.UTF8.GetBytes(json));

    private static IEnumerable<UpstreamEndpoint> Endpoints(UpstreamVnetFile file) =>
        file.Network!.ExternalInterfaces!.Values.SelectMany(n => n.Networks!.Values).SelectMany(n => n.Endpoints!.Values);

    /// <summary>Every endpoint member upstream's DEL, CHECK and ADD read, in one comparable line.</summary>
    private static string[] ReadByUpstream(UpstreamVnetFile file) =>
    [
        .. from nic in file.Network!.ExternalInterfaces!
           from net in nic.Value.Networks!
           from ep in net.Value.Endpoints!
           orderby ep.Key
           select string.Join(" | ", nic.Key, nic.Value.Name, nic.Value.BridgeName, nic.Value.MacAddress, nic.Value.Other!.Get("Subnets").ToString(),
               net.Key, net.Value.Id, net.Value.Mode, net.Value.Other!.Get("Subnets").ToString(),
               ep.Key, ep.Value.Id, ep.Value.IfName, ep.Value.HostIfName, ep.Value.MacAddress,
               string.Join(",", ep.Value.IPAddresses!.Select(a => a.IP + "/" + a.Mask)), string.Join(",", ep.Value.Gateways!),
               ep.Value.NetworkNameSpace, ep.Value.ContainerID, ep.Value.PODName, ep.Value.PODNameSpace,
               ep.Value.Other!.Get("Routes").ToString(), ep.Value.Other!.Get("DNS").ToString(), ep.Value.Other!.Get("NICType").ToString()),
    ];

    [Fact]
    public void BridgeFileConvertsToOneRecordPerPodWithItsHostObjectsNames()
    {
        var state = UpstreamVnetConversion.ToOurs(Parse(GoldenBridge));

        var network = Assert.Single(state.Networks);
        Assert.Equal(("azure", "bridge", "eth0", "azure0", "02:bd:0a:f0:00:04"), (network.Name, network.Mode, network.Master, network.Bridge, network.MasterMac));
        Assert.Equal(2, state.Endpoints.Count);
        var api = state.FindEndpoint("azure", CidBridge1, "eth0");
        Assert.NotNull(api);
        Assert.Equal(("azv806ccca4071", "bridge", "eth0", "azure0", "02:bd:0a:f0:00:05", "/var/run/netns/cni-1", "default", "api-7c9d8f6b5-q2w3e", "10.240.0.1"),
            (api.HostIfName, api.Mode, api.Master, api.Bridge, api.Mac, api.Netns, api.PodNamespace, api.PodName, api.Gateway));
        Assert.Equal(["10.240.0.5/16"], api.Addresses);
        Assert.False(api.Pending);

        // A pre-v1.6 record stored the temporary veth name as IfName: the endpoint ID still names the interface.
        Assert.NotNull(state.FindEndpoint("azure", CidBridge2, "eth0"));
    }

    [Fact]
    public void RoundTripUpstreamOursUpstreamKeepsEveryMemberUpstreamReads()
    {
        foreach (string golden in new[] { GoldenBridge, GoldenTransparent })
        {
            var upstream = Parse(golden);
            var ours = UpstreamVnetConversion.ToOurs(upstream);
            // Through our file and back, as a node that ran this project in between would.
            var stored = CniJson.Parse<VnetState>(EndpointStore.Serialize(ours));
            var back = UpstreamVnetConversion.ToUpstream(stored, null, StateExportCommand.ExportVersion, DateTime.UtcNow);
            var reparsed = CniJson.Parse<UpstreamVnetFile>(CniJson.ToUtf8Bytes(back));

            Assert.Equal(ReadByUpstream(upstream), ReadByUpstream(reparsed));
        }
    }

    [Fact]
    public void StoreConvertsUpstreamsFileInPlaceOnceKeepingAByteExactCopy()
    {
        string path = Path.Combine(_node.Dir, "azure-vnet.json");
        File.WriteAllText(path, GoldenTransparent);
        byte[] original = File.ReadAllBytes(path);

        var state = new EndpointStore(_node.Dir).Read();

        var record = Assert.Single(state.Endpoints);
        Assert.Equal((CidTransparent, "eth0", "azv28bc200b40b", "transparent"), (record.ContainerId, record.IfName, record.HostIfName, record.Mode));
        Assert.Equal(original, File.ReadAllBytes(Assert.Single(Directory.GetFiles(_node.Dir, "azure-vnet.json.upstream-*"))));
        Assert.False(UpstreamStateFile.IsUpstream(File.ReadAllBytes(path), "Network"u8));
        Assert.Single(new EndpointStore(_node.Dir).Read().Endpoints);
        Assert.Single(Directory.GetFiles(_node.Dir, "azure-vnet.json.upstream-*"));
    }

    /// <summary>A pod upstream made in transparent mode: its host veth and /32 route, its address reserved in upstream's IPAM file.</summary>
    private RecordingKernel.Netns UpstreamTransparentPod()
    {
        File.WriteAllText(Path.Combine(_node.Dir, "azure-vnet.json"), GoldenTransparent);
        File.WriteAllText(Path.Combine(_node.Dir, "azure-vnet-ipam.json"), GoldenIpam);
        var pod = _node.AddPod("up1");
        var eth0 = pod.Seed("eth0", "veth", System.Net.NetworkInformation.PhysicalAddress.Parse("02-bd-0a-f0-01-17"));
        pod.Addresses.Add(new AddressInfo(eth0.Index, IPAddress.Parse("10.240.0.6"), 16, RouteScope.Universe, null));
        var veth = _node.Kernel.Node.Seed("azv28bc200b40b", "veth", System.Net.NetworkInformation.PhysicalAddress.Parse("aa-aa-aa-aa-aa-aa"));
        _node.Kernel.Node.Routes.Add(new RouteEntry
        {
            Destination = IPAddress.Parse("10.240.0.6"), DestinationPrefixLength = 32, OutputInterfaceIndex = veth.Index,
            Scope = RouteScope.Link, Family = System.Net.Sockets.AddressFamily.InterNetwork,
        });
        return pod;
    }

    [Fact]
    public void UpstreamTransparentPod_NewPodsGetOtherAddresses_ThenItsDelRemovesItsRouteAndReleasesItsAddress()
    {
        UpstreamTransparentPod();
        _node.AddPod("new1");
        _node.AddPod("new2");

        var first = _node.Run("ADD", "c1000000000000001", "new1", _node.Config("transparent"));
        var second = _node.Run("ADD", "c2000000000000002", "new2", _node.Config("transparent"));
        Assert.Equal(0, first.Exit);
        Assert.Equal(0, second.Exit);
        string[] given = [first.Json.GetProperty("ips")[0].GetProperty("address").GetString()!, second.Json.GetProperty("ips")[0].GetProperty("address").GetString()!];
        Assert.DoesNotContain("10.240.0.6/16", given);

        var del = _node.Run("DEL", CidTransparent, "up1", _node.Config("transparent"));
        Assert.Equal(0, del.Exit);
        Assert.DoesNotContain(_node.Kernel.Node.Routes, r => r.Destination?.ToString() == "10.240.0.6" && r.DestinationPrefixLength == 32);
        Assert.Null(new EndpointStore(_node.Dir).Read().FindEndpoint("azure", CidTransparent, "eth0"));
        var ipam = new IpamStore(_node.Dir).Load();
        Assert.Null(ipam.Pools.SelectMany(p => p.Addresses).Single(a => a.Address == "10.240.0.6").ContainerId);
        Assert.Equal(0, _node.Run("DEL", CidTransparent, "up1", _node.Config("transparent")).Exit);
    }

    [Fact]
    public void ExportWritesBothFilesInUpstreamsShapesListingEveryLivePod()
    {
        UpstreamTransparentPod();
        _node.AddPod("new1");
        Assert.Equal(0, _node.Run("ADD", "c1000000000000001", "new1", _node.Config("transparent")).Exit);
        string outDir = Path.Combine(_node.Dir, "export");

        var output = new StringBuilder();
        Assert.Equal(0, StateExportCommand.Run(["export", "--format", "upstream", "--output", outDir], _node.Dir, output));

        var vnet = CniJson.Parse<UpstreamVnetFile>(File.ReadAllBytes(Path.Combine(outDir, "azure-vnet.json")));
        var ipam = CniJson.Parse<UpstreamIpamFile>(File.ReadAllBytes(Path.Combine(outDir, "azure-vnet-ipam.json")));
        Assert.Equal(["7e6d5c4b-eth0", "c1000000-eth0"], Endpoints(vnet).Select(e => e.Id).Order());
        var network = vnet.Network!.ExternalInterfaces!["eth0"].Networks!["azure"];
        Assert.Equal("transparent", network.Mode);
        Assert.Contains("\"10.240.0.0\"", network.Other!.Get("Subnets").ToString(), StringComparison.Ordinal);
        var reserved = ipam.Ipam!.AddressSpaces!["local"].Pools!["10.240.0.0/16"].Addresses!.Values.Where(a => a.InUse).ToList();
        Assert.Equal(Endpoints(vnet).Select(e => e.ContainerID).Order(), reserved.Select(a => a.ID).Order());
        Assert.Equal(Endpoints(vnet).Select(e => e.IPAddresses![0].IP).Order(), reserved.Select(a => a.Addr).Order());
        Assert.Equal(1, ipam.Ipam.AddressSpaces["local"].Pools!["10.240.0.0/16"].RefCount);
        Assert.Equal("//8AAA==", ipam.Ipam.AddressSpaces["local"].Pools!["10.240.0.0/16"].Subnet.Mask);

        Assert.Equal(2, StateExportCommand.Run(["export", "--format", "ours"], _node.Dir, new StringBuilder()));
    }
}
