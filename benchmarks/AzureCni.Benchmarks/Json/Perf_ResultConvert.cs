using AzureCni.Cni;
using AzureCni.Cni.Types;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Json;

/// <summary>Down-converting a result for a runtime that asked for an older spec version.</summary>
[Config(typeof(RecommendedConfig))]
[BenchmarkCategory("Json", "CniCore")]
public class Perf_ResultConvert
{
    private CniResult _result = null!;

    [GlobalSetup]
    public void Setup() => _result = CniSamples.Result();

    [Benchmark(Description = "convert a result to 0.2.0")]
    public Result020 ToResult020() => CniResultConverter.ToResult020(_result, SpecVersion.V0_2_0);

    [Benchmark(Description = "convert a result to 0.4.0")]
    public Result040 ToResult040() => CniResultConverter.ToResult040(_result, SpecVersion.V0_4_0);
}
