using AzureCni.Cni.Types;
using AzureCni.Json;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Json;

/// <summary>Reading the network config every invocation starts with.</summary>
[Config(typeof(RecommendedConfig))]
[BenchmarkCategory("Json", "CniCore")]
public class Perf_NetConf
{
    [Benchmark(Description = "parse a conflist plugin config (with runtimeConfig and prevResult)")]
    public NetConf Parse() => CniJson.Parse<NetConf>(CniSamples.PluginConfig);

    [Benchmark(Description = "parse it and read prevResult into the model")]
    public CniResult? ParseWithPrevResult()
    {
        var conf = CniJson.Parse<NetConf>(CniSamples.PluginConfig);
        return conf.PrevResult is { } prev ? CniResultConverter.FromDocument(prev, conf.CniVersion) : null;
    }
}
