using AzureCni.Netlink;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// transparent-tunnel mode over a <see cref="RecordingKernel"/>: the node-wide rule and table made once and removed
/// with the last pod, the per-pod mark/notrack rule set, CHECK and GC covering them, a failed ADD leaving nothing.
/// </summary>
public sealed class TransparentTunnelTests : IDisposable
{
    private const string Mode = "transparent-tunnel";
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    private RecordingKernel.Netns Node => _node.Kernel.Node;

    [Fact]
    public void Add_MarksThePod_AndRoutesMarkedTrafficToTheGateway_Once()
    {
        _node.AddPod("pod1");
        _node.AddPod("pod2");

        Assert.Equal(0, _node.Run("ADD", "c1000000000000001", "pod1", _node.Config(Mode)).Exit);
        Assert.Equal(0, _node.Run("ADD", "c2000000000000002", "pod2", _node.Config(Mode)).Exit);

        var rule = Assert.Single(Node.FibRules);
        Assert.Equal((3u, 101u), (rule.FwMark!.Value, rule.Table));
        var tableRoute = Assert.Single(Node.Routes, r => r.Table == 101);
        Assert.Equal("10.240.0.1", tableRoute.Gateway!.ToString());
        Assert.Equal(Node.GetLink("eth0").Index, tableRoute.OutputInterfaceIndex);
        Assert.Single(_node.Kernel.Journal, j => j.StartsWith("node: add rule", StringComparison.Ordinal));
        string veth1 = Node.Links.First(l => l.Kind == "veth").Name;
        Assert.Equal($"tunnel-container eth0 {veth1} 10.240.0.5", Assert.Single(_node.Kernel.Rules["azcni:c1000000000000001:eth0"]));
        Assert.True(_node.Kernel.TunnelTable);
        // Still transparent underneath: the /32 host route and the virtual gateway.
        Assert.Contains(Node.Routes, r => r.Destination?.ToString() == "10.240.0.5" && r.DestinationPrefixLength == 32 && r.Table == 254);
        Assert.Equal(0, _node.Run("CHECK", "c1000000000000001", "pod1", _node.Config(Mode)).Exit);
    }

    [Fact]
    public void Del_OfTheLastPod_RemovesTheNodeObjects_NotBefore()
    {
        _node.AddPod("pod1");
        _node.AddPod("pod2");
        _node.Run("ADD", "c1000000000000001", "pod1", _node.Config(Mode));
        _node.Run("ADD", "c2000000000000002", "pod2", _node.Config(Mode));

        Assert.Equal(0, _node.Run("DEL", "c1000000000000001", "pod1", _node.Config(Mode)).Exit);
        Assert.Single(Node.FibRules);
        Assert.Single(Node.Routes, r => r.Table == 101);
        Assert.Equal(["azcni:c2000000000000002:eth0"], _node.Kernel.Rules.Keys);

        Assert.Equal(0, _node.Run("DEL", "c2000000000000002", "pod2", _node.Config(Mode)).Exit);
        Assert.Empty(Node.FibRules);
        Assert.DoesNotContain(Node.Routes, r => r.Table == 101);
        Assert.Empty(_node.Kernel.Rules);
        Assert.False(_node.Kernel.TunnelTable);
        Assert.Equal(0, _node.Run("DEL", "c2000000000000002", "pod2", _node.Config(Mode)).Exit);
    }

    [Fact]
    public void Check_NamesTheMissingRule()
    {
        _node.AddPod("pod1");
        _node.Run("ADD", "c1000000000000001", "pod1", _node.Config(Mode));
        Node.FibRules.Clear();

        var check = _node.Run("CHECK", "c1000000000000001", "pod1", _node.Config(Mode));

        Assert.NotEqual(0, check.Exit);
        Assert.Contains("fwmark 0x3 lookup 101 missing", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_OfEveryPod_LeavesNoTunnelObject()
    {
        _node.AddPod("pod1");
        _node.Run("ADD", "c1000000000000001", "pod1", _node.Config(Mode));

        Assert.Equal(0, _node.Run("GC", "", null, _node.Config(Mode, """, "cni.dev/valid-attachments":[]""")).Exit);

        Assert.Empty(Node.FibRules);
        Assert.DoesNotContain(Node.Routes, r => r.Table == 101);
        Assert.Empty(_node.Kernel.Rules);
    }

    [Fact]
    public void Add_WithoutAGateway_Fails_AndLeavesNothing()
    {
        _node.AddPod("pod1");
        Node.Routes.RemoveAll(r => r.Destination is null);
        var before = Node.Routes.ToList();

        var add = _node.Run("ADD", "c1000000000000001", "pod1", _node.Config(Mode));

        Assert.NotEqual(0, add.Exit);
        Assert.Contains("no usable IPv4 gateway", add.Stdout, StringComparison.Ordinal);
        Assert.Empty(Node.FibRules);
        Assert.Empty(_node.Kernel.Rules);
        Assert.Equal(before, Node.Routes);
    }

    /// <summary>Every change of a tunnel ADD made to fail in turn: the node is left as before, rule and table included.</summary>
    [Fact]
    public void Add_FailingAtAnyChange_UndoesEverything()
    {
        _node.AddPod("probe");
        Assert.Equal(0, _node.Run("ADD", "c9000000000000009", "probe", _node.Config(Mode)).Exit);
        Assert.Equal(0, _node.Run("DEL", "c9000000000000009", "probe", _node.Config(Mode)).Exit);
        int changes = _node.Kernel.Journal.Count(j => j.StartsWith("node:", StringComparison.Ordinal) || j.StartsWith("nft:", StringComparison.Ordinal));
        Assert.True(changes > 5);
        var routesBefore = Node.Routes.Where(r => r.Table != 254 || r.Destination?.ToString() != "10.240.0.9").ToList();

        for (int fail = 1; fail <= 12; fail++)
        {
            string pod = "pod" + fail.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _node.AddPod(pod);
            _node.Kernel.FailAtChange = _node.Kernel.Changes + fail;
            var add = _node.Run("ADD", "c" + fail.ToString("D16", System.Globalization.CultureInfo.InvariantCulture), pod, _node.Config(Mode));
            _node.Kernel.FailAtChange = null;
            if (add.Exit == 0)
                break;
            Assert.Empty(Node.FibRules);
            Assert.Empty(_node.Kernel.Rules);
            Assert.DoesNotContain(Node.Routes, r => r.Table == 101 || r.DestinationPrefixLength == 32);
        }

        Assert.Equal(routesBefore.Count, Node.Routes.Count(r => r.DestinationPrefixLength != 32 && r.Table == 254));
    }
}
