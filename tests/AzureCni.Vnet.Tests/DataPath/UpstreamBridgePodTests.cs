using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// A bridge-mode pod upstream Azure CNI made: its layer-2 rules are upstream's ebtables rules (ebtables-nft's
/// <c>bridge nat</c>), not ours. The pod is added by azure-vnet, then its tagged rules are swapped for the two rules
/// upstream makes for an IPv4 address; CHECK, DEL and GC then read, remove and collect upstream's rules by meaning.
/// </summary>
public sealed class UpstreamBridgePodTests : IDisposable
{
    private const string Pod = "pod1";
    private const string Container = "c1000000000000001";
    private static readonly IPAddress PodAddress = IPAddress.Parse("10.240.0.5");
    private readonly FakeNode _node = new();
    private ulong _handle = 100;

    public void Dispose() => _node.Dispose();

    private EbtablesRule ArpReply(IPAddress address, PhysicalAddress mac) => new(new NfRule(NfFamily.Bridge, "nat", "PREROUTING", ++_handle, null))
    {
        EtherType = 0x0806, ArpOperation = 1, ArpIPDestination = address, Target = "arpreply", TargetMac = mac, TargetVerdict = EBT_VERDICT.EBT_DROP,
    };

    private EbtablesRule Dnat(IPAddress address, PhysicalAddress mac, string input = "eth0") => new(new NfRule(NfFamily.Bridge, "nat", "PREROUTING", ++_handle, null))
    {
        EtherType = 0x0800, InInterface = input, IPDestination = address, Target = "dnat", TargetMac = mac, TargetVerdict = EBT_VERDICT.EBT_ACCEPT,
    };

    /// <summary>The pod as upstream left it, plus upstream's node-wide arpreply for the node's address (the master's MAC).</summary>
    private PhysicalAddress UpstreamPod()
    {
        var pod = _node.AddPod(Pod);
        Assert.Equal(0, _node.Run("ADD", Container, Pod, _node.Config("bridge")).Exit);
        Assert.True(_node.Kernel.Rules.Remove("azcni:" + Container + ":eth0"));
        var mac = pod.GetLink("eth0").MacAddress!;
        _node.Kernel.UpstreamRules.AddRange([
            ArpReply(IPAddress.Parse("10.240.0.4"), PhysicalAddress.Parse("00-0D-3A-00-00-04")),
            ArpReply(PodAddress, mac),
            Dnat(PodAddress, mac),
        ]);
        return mac;
    }

    [Fact]
    public void Check_AcceptsUpstreamsRules_AndNamesTheOneMissing()
    {
        UpstreamPod();
        var ok = _node.Run("CHECK", Container, Pod, _node.Config("bridge"));
        Assert.Equal((0, ""), (ok.Exit, ok.Stdout));

        _node.Kernel.UpstreamRules.RemoveAll(r => r.Target == "dnat");
        var check = _node.Run("CHECK", Container, Pod, _node.Config("bridge"));

        Assert.Equal(1, check.Exit);
        string message = check.Json.GetProperty("msg").GetString()!;
        Assert.Contains("upstream Azure CNI's ebtables rules of 10.240.0.5 incomplete", message, StringComparison.Ordinal);
        Assert.Contains("-p IPv4 -i eth0 --ip-dst 10.240.0.5 -j dnat --to-dst", message, StringComparison.Ordinal);
        Assert.DoesNotContain("arpreply", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WithNeitherOursNorUpstreams_NamesOurRules()
    {
        UpstreamPod();
        _node.Kernel.UpstreamRules.Clear();

        var check = _node.Run("CHECK", Container, Pod, _node.Config("bridge"));

        Assert.Equal(1, check.Exit);
        Assert.Contains("layer-2 rules azcni:" + Container + ":eth0", check.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnTheWrongMaster_IsMissing()
    {
        var mac = UpstreamPod();
        _node.Kernel.UpstreamRules.RemoveAll(r => r.Target == "dnat");
        _node.Kernel.UpstreamRules.Add(Dnat(PodAddress, mac, input: "eth1"));

        Assert.Equal(1, _node.Run("CHECK", Container, Pod, _node.Config("bridge")).Exit);
    }

    [Fact]
    public void Del_RemovesThePodsUpstreamRules_OnlyThose_Twice()
    {
        UpstreamPod();
        var other = PhysicalAddress.Parse("02-00-00-00-00-09");
        EbtablesRule[] kept = [_node.Kernel.UpstreamRules[0], ArpReply(IPAddress.Parse("10.240.0.9"), other), Dnat(IPAddress.Parse("10.240.0.9"), other),
            Dnat(PodAddress, PhysicalAddress.Parse("02-00-00-00-00-0a"))];
        _node.Kernel.UpstreamRules.AddRange(kept[1..]);

        Assert.Equal(0, _node.Run("DEL", Container, Pod, _node.Config("bridge")).Exit);
        Assert.Equal(0, _node.Run("DEL", Container, Pod, _node.Config("bridge")).Exit);

        Assert.Equal(kept, _node.Kernel.UpstreamRules);
        Assert.DoesNotContain(_node.Kernel.Node.Neighbors, n => n.Address.Equals(PodAddress));
        Assert.Single(_node.Kernel.Journal, j => j.Contains("delete rules bridge nat", StringComparison.Ordinal));
        Assert.DoesNotContain(Container, _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.DoesNotContain(Container, _node.State("azure-vnet-ipam.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_CollectsUpstreamRulesOfAttachmentsNotValid_AndOfPodsNobodyHolds_NeverTheNodes()
    {
        UpstreamPod();
        _node.AddPod("keep");
        Assert.Equal(0, _node.Run("ADD", "keep000000000001", "keep", _node.Config("bridge")).Exit);
        var nodeArpReply = _node.Kernel.UpstreamRules[0];
        var leftover = PhysicalAddress.Parse("02-00-00-00-00-09");
        _node.Kernel.UpstreamRules.AddRange([ArpReply(IPAddress.Parse("10.240.0.9"), leftover), Dnat(IPAddress.Parse("10.240.0.9"), leftover)]);

        var gc = _node.Run("GC", "", null, _node.Config("bridge", """, "cni.dev/valid-attachments":[{"containerID":"keep000000000001","ifname":"eth0"}]"""));

        Assert.True(gc.Exit == 0, gc.Stdout);
        Assert.Equal([nodeArpReply], _node.Kernel.UpstreamRules);
        Assert.DoesNotContain(Container, _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.Contains("keep000000000001", _node.State("azure-vnet.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_KeepsTheUpstreamRulesOfAPodItsStateHolds()
    {
        UpstreamPod();
        var before = _node.Kernel.UpstreamRules.ToList();

        var gc = _node.Run("GC", "", null, _node.Config("bridge", $$""", "cni.dev/valid-attachments":[{"containerID":"{{Container}}","ifname":"eth0"}]"""));

        Assert.True(gc.Exit == 0, gc.Stdout);
        Assert.Equal(before, _node.Kernel.UpstreamRules);
    }
}
