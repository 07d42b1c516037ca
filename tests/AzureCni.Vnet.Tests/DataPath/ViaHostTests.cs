namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// ipsToRouteViaHost over a <see cref="RecordingKernel"/>: bridge mode's node-wide rule per address, made once, kept
/// while a pod lists it, removed with the last one by DEL, GC or a failed ADD; CHECK names it; other modes ignore it.
/// </summary>
public sealed class ViaHostTests : IDisposable
{
    private const string Tag = "azcni:node:via-host:169.254.20.10";
    private const string ViaHost = """, "ipsToRouteViaHost":["169.254.20.10"]""";
    private readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    private string Bridge(string extra = ViaHost) => _node.Config("bridge", extra);

    private IEnumerable<string> ViaHostChanges => _node.Kernel.Journal.Where(j => j.Contains("via-host", StringComparison.Ordinal));

    [Fact]
    public void Add_MakesTheRuleOnce_AndRecordsTheAddressesInTheEntry()
    {
        _node.AddPod("pod1");
        _node.AddPod("pod2");

        Assert.Equal(0, _node.Run("ADD", "c1000000000000001", "pod1", Bridge()).Exit);
        Assert.Equal(0, _node.Run("ADD", "c2000000000000002", "pod2", Bridge()).Exit);

        Assert.Equal(["via-host 169.254.20.10 000D3A000004"], _node.Kernel.Rules[Tag]);
        Assert.True(_node.Kernel.ViaHostTable);
        Assert.Equal([$"nft: apply {Tag}: via-host 169.254.20.10 000D3A000004"], ViaHostChanges);
        Assert.Matches("\"ipsToRouteViaHost\":\\s*\\[\\s*\"169\\.254\\.20\\.10\"\\s*\\]", _node.State("azure-vnet.json"));
        Assert.Equal(0, _node.Run("CHECK", "c1000000000000001", "pod1", Bridge()).Exit);
    }

    [Fact]
    public void Del_OfTheLastPodListingTheAddress_RemovesRuleAndTable_NotBefore()
    {
        _node.AddPod("pod1");
        _node.AddPod("pod2");
        _node.Run("ADD", "c1000000000000001", "pod1", Bridge());
        _node.Run("ADD", "c2000000000000002", "pod2", Bridge());

        Assert.Equal(0, _node.Run("DEL", "c1000000000000001", "pod1", Bridge()).Exit);
        Assert.True(_node.Kernel.Rules.ContainsKey(Tag));

        // The DEL's config does not matter: the state entry says what the pod needed.
        Assert.Equal(0, _node.Run("DEL", "c2000000000000002", "pod2", Bridge(extra: "")).Exit);
        Assert.False(_node.Kernel.Rules.ContainsKey(Tag));
        Assert.False(_node.Kernel.ViaHostTable);
        Assert.Equal(0, _node.Run("DEL", "c2000000000000002", "pod2", Bridge()).Exit);
        Assert.Equal(["azcni:node:eth0"], _node.Kernel.Rules.Keys);
    }

    /// <summary>
    /// Two DELs of the last two pods at once, made deterministic: the first is killed after it released the rule (kept
    /// for the other) but before its entry went. The second must not count the first's entry, or neither removes it.
    /// </summary>
    [Fact]
    public void Del_after_another_DEL_released_but_not_yet_forgot_its_entry_removes_the_rule()
    {
        _node.AddPod("pod1");
        _node.AddPod("pod2");
        _node.Run("ADD", "c1000000000000001", "pod1", Bridge());
        _node.Run("ADD", "c2000000000000002", "pod2", Bridge());

        _node.Kernel.KillAtChange = _node.Kernel.Changes + 2; // the neighbour, then the pod's own rules
        _node.Run("DEL", "c1000000000000001", "pod1", Bridge());
        Assert.True(_node.Kernel.Dead);
        _node.Kernel.Revive();
        Assert.Contains("nft: KILLED before delete rules azcni:c1000000000000001:eth0", _node.Kernel.Journal);
        Assert.Contains("c1000000000000001", _node.State("azure-vnet.json"), StringComparison.Ordinal);
        Assert.True(_node.Kernel.Rules.ContainsKey(Tag));

        Assert.Equal(0, _node.Run("DEL", "c2000000000000002", "pod2", Bridge()).Exit);

        Assert.False(_node.Kernel.Rules.ContainsKey(Tag));
        Assert.False(_node.Kernel.ViaHostTable);
    }

    [Fact]
    public void A_pod_without_the_field_neither_makes_nor_keeps_the_rule()
    {
        _node.AddPod("pod1");
        _node.AddPod("pod2");
        _node.Run("ADD", "c1000000000000001", "pod1", Bridge());
        Assert.Equal(0, _node.Run("ADD", "c2000000000000002", "pod2", Bridge(extra: "")).Exit);

        Assert.Equal(0, _node.Run("DEL", "c1000000000000001", "pod1", Bridge()).Exit);

        Assert.False(_node.Kernel.Rules.ContainsKey(Tag));
        Assert.DoesNotContain("ipsToRouteViaHost", _node.State("azure-vnet.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NamesTheMissingRule()
    {
        _node.AddPod("pod1");
        _node.Run("ADD", "c1000000000000001", "pod1", Bridge());
        _node.Kernel.Rules.Remove(Tag);

        var check = _node.Run("CHECK", "c1000000000000001", "pod1", Bridge());

        Assert.NotEqual(0, check.Exit);
        Assert.Contains("169.254.20.10", check.Stdout, StringComparison.Ordinal);
        Assert.Contains(Tag + ") missing", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_RemovesTheRuleWithItsLastPod_AndARuleNoEntryLists()
    {
        _node.AddPod("pod1");
        _node.Run("ADD", "c1000000000000001", "pod1", Bridge());
        _node.Kernel.Rules["azcni:node:via-host:169.254.20.11"] = ["via-host 169.254.20.11"];

        Assert.Equal(0, _node.Run("GC", "", null, _node.Config("bridge", ViaHost + """, "cni.dev/valid-attachments":[{"containerID":"c1000000000000001","ifname":"eth0"}]""")).Exit);
        Assert.Equal(["azcni:c1000000000000001:eth0", "azcni:node:eth0", Tag], _node.Kernel.Rules.Keys);

        Assert.Equal(0, _node.Run("GC", "", null, _node.Config("bridge", ViaHost + """, "cni.dev/valid-attachments":[]""")).Exit);
        Assert.Equal(["azcni:node:eth0"], _node.Kernel.Rules.Keys);
        Assert.False(_node.Kernel.ViaHostTable);
    }

    [Theory]
    [InlineData("transparent")]
    [InlineData("transparent-tunnel")]
    public void Other_modes_ignore_the_field(string mode)
    {
        _node.AddPod("pod1");

        Assert.Equal(0, _node.Run("ADD", "c1000000000000001", "pod1", _node.Config(mode, ViaHost)).Exit);

        Assert.Empty(ViaHostChanges);
        Assert.DoesNotContain("ipsToRouteViaHost", _node.State("azure-vnet.json"), StringComparison.Ordinal);
        _node.AddPod("pod2");
        Assert.Equal(0, _node.Run("ADD", "c2000000000000002", "pod2", _node.Config(mode, """, "ipsToRouteViaHost":["fd00::10"]""")).Exit);
    }

    [Theory]
    [InlineData("""["fd00::10"]""", 7)]
    [InlineData("""["169.254.20.0/24"]""", 7)]
    [InlineData("""["dns"]""", 7)]
    [InlineData(""""169.254.20.10"""", 6)]
    [InlineData("""[1]""", 6)]
    public void A_bad_entry_is_refused_before_anything_is_made(string value, int code)
    {
        _node.AddPod("pod1");

        var add = _node.Run("ADD", "c1000000000000001", "pod1", Bridge(extra: ", \"ipsToRouteViaHost\":" + value));

        Assert.NotEqual(0, add.Exit);
        Assert.Equal(code, add.Json.GetProperty("code").GetInt32());
        Assert.Empty(_node.Kernel.Journal);
    }

    /// <summary>
    /// Each change of a via-host ADD (with a port mapping, applied after the rule) on a node already bridged made to
    /// fail in turn: no rule and no table are left, whether the rule's own apply failed or a later change did.
    /// </summary>
    [Fact]
    public void Add_FailingAtAnyChange_LeavesNoViaHostRule()
    {
        const string mappings = """, "capabilities":{"portMappings":true}, "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}""";
        _node.AddPod("probe");
        Assert.Equal(0, _node.Run("ADD", "c9000000000000009", "probe", Bridge(extra: "")).Exit);

        for (int fail = 1; ; fail++)
        {
            Assert.True(fail <= 20, "no ADD got through 20 failing changes");
            string pod = "pod" + fail.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _node.AddPod(pod);
            _node.Kernel.FailAtChange = _node.Kernel.Changes + fail;
            var add = _node.Run("ADD", "c" + fail.ToString("D16", System.Globalization.CultureInfo.InvariantCulture), pod, Bridge(ViaHost + mappings));
            _node.Kernel.FailAtChange = null;
            if (add.Exit == 0)
                break;
            Assert.False(_node.Kernel.Rules.ContainsKey(Tag), $"failing change {fail} left the rule");
            Assert.False(_node.Kernel.ViaHostTable, $"failing change {fail} left the table");
        }

        Assert.Contains($"nft: FAILED apply {Tag}: via-host 169.254.20.10 000D3A000004", _node.Kernel.Journal);
        Assert.Contains($"nft: delete rules {Tag}", _node.Kernel.Journal);
        Assert.True(_node.Kernel.Rules.ContainsKey(Tag));
    }
}
