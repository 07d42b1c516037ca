using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.EndToEnd;

/// <summary>
/// The published azure-vnet-ipam with metricsDir set: 50 concurrent ADDs then 50 concurrent DELs must add up exactly
/// in a file a strict Prometheus text parser accepts; a metrics directory that cannot be written never fails a call.
/// </summary>
[Collection(PluginBinaryCollection.Name)]
public sealed class MetricsTests(PluginBinaryFixture binary) : IDisposable
{
    private const int Calls = 50;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string metricsDir)
    {
        var secondaries = Enumerable.Range(5, Calls + 10).Select(i => $"10.240.0.{i}").ToArray();
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.InterfacesJson("*", secondaries));
        string ipam = $$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{_dir.File("interfaces.json")}}"}""";
        return PluginRun.Config(ipam, extra: $$""","metricsDir":"{{metricsDir}}" """);
    }

    private static double Value(List<PromSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Single(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Value;

    [Fact]
    public void FiftyConcurrentAddsAndDels_AddUpExactly_InAStrictlyValidFile()
    {
        string metrics = _dir.File("metrics");
        Directory.CreateDirectory(metrics);
        string config = Config(metrics);
        var run = new PluginRun(binary, _dir.File("state"));

        var adds = Enumerable.Range(0, Calls).AsParallel().WithDegreeOfParallelism(Calls).Select(i => run.Invoke("ADD", config, "c" + i)).ToList();
        Assert.All(adds, a => Assert.True(a.ExitCode == 0, a.ToString()));
        var afterAdds = PrometheusText.Parse(File.ReadAllText(Path.Combine(metrics, "azure-vnet-ipam.prom")));
        Assert.Equal(Calls, Value(afterAdds, "azure_cni_ipam_pool_addresses", ("subnet", "10.240.0.0/16"), ("state", "in_use")));

        var dels = Enumerable.Range(0, Calls).AsParallel().WithDegreeOfParallelism(Calls).Select(i => run.Invoke("DEL", config, "c" + i)).ToList();
        Assert.All(dels, d => Assert.True(d.ExitCode == 0, d.ToString()));
        // One failure, counted under its CNI error code: a source file that does not exist.
        string broken = PluginRun.Config($$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{_dir.File("missing.json")}}"}""",
            extra: $$""","metricsDir":"{{metrics}}" """);
        var failed = run.Invoke("ADD", broken, "broken");
        Assert.NotEqual(0, failed.ExitCode);

        string text = File.ReadAllText(Path.Combine(metrics, "azure-vnet-ipam.prom"));
        var samples = PrometheusText.Parse(text);
        Assert.Equal(Calls, Value(samples, "azure_cni_calls_total", ("command", "ADD"), ("code", "0")));
        Assert.Equal(Calls, Value(samples, "azure_cni_calls_total", ("command", "DEL"), ("code", "0")));
        Assert.Equal(1, Value(samples, "azure_cni_calls_total", ("command", "ADD"), ("code", failed.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(Calls + 1, Value(samples, "azure_cni_call_duration_seconds_count", ("command", "ADD")));
        Assert.Equal(Calls, Value(samples, "azure_cni_call_duration_seconds_bucket", ("command", "DEL"), ("le", "+Inf")));
        Assert.True(Value(samples, "azure_cni_call_duration_seconds_sum", ("command", "ADD")) > 0);
        Assert.Equal(0, Value(samples, "azure_cni_ipam_pool_addresses", ("subnet", "10.240.0.0/16"), ("state", "in_use")));
        Assert.Equal(Calls + 10, Value(samples, "azure_cni_ipam_pool_addresses", ("subnet", "10.240.0.0/16"), ("state", "free")));
        Assert.Equal(1, Value(samples, "azure_cni_build_info", ("plugin", "azure-vnet-ipam")));
        // What the collector reads (*.prom): the one file, beside its lock and the temp file the next update reuses.
        Assert.Equal(["azure-vnet-ipam.prom", "azure-vnet-ipam.prom.lock", "azure-vnet-ipam.prom.tmp"],
            Directory.GetFiles(metrics).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheStrictParser_RejectsWhatTheCollectorWould()
    {
        Assert.Throws<FormatException>(() => PrometheusText.Parse("a_total 1"));                                  // no final newline
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE a counter\na 1\n"));                     // counter not *_total
        Assert.Throws<FormatException>(() => PrometheusText.Parse("a{x=\"1\"} 1\na{x=\"1\"} 2\n"));               // duplicate series
        Assert.Throws<FormatException>(() => PrometheusText.Parse("a 1\nb 1\na 2\n"));                              // family not contiguous
        Assert.Throws<FormatException>(() => PrometheusText.Parse("a{x=1} 1\n"));                                   // unquoted label value
        Assert.Throws<FormatException>(() => PrometheusText.Parse(
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));              // decreasing buckets
        Assert.Single(PrometheusText.Parse("# HELP a_total x\n# TYPE a_total counter\na_total{x=\"q\\\"\"} 3\n"));
    }

    [Fact]
    public void AMissingMetricsDirectory_CostsOneWarningLine_NeverTheCall()
    {
        string missing = _dir.File("no-such-dir");
        var run = new PluginRun(binary, _dir.File("state"));
        var add = run.Invoke("ADD", Config(missing), "c1");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.False(Directory.Exists(missing));
        string log = File.ReadAllText(Path.Combine(_dir.File("state"), "azure-vnet-ipam.log"));
        Assert.Single(log.Split('\n'), l => l.Contains("metrics: cannot update", StringComparison.Ordinal));
    }
}
