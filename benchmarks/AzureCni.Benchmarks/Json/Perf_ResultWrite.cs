using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Json;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Json;

/// <summary>Printing the ADD result: the document write must not allocate once the buffer is warm.</summary>
[Config(typeof(RecommendedConfig))]
[BenchmarkCategory("Json", "CniCore")]
public class Perf_ResultWrite
{
    private readonly PooledBufferWriter _buffer = new(4096);
    private CniResult _result = null!;
    private Result100 _document = null!;

    [GlobalSetup]
    public void Setup()
    {
        _result = CniSamples.Result();
        _document = CniResultConverter.ToResult100(_result, SpecVersion.V1_1_0);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    [Benchmark(Baseline = true, Description = "write a 1.1.0 result document into a pooled buffer")]
    public int WriteDocument()
    {
        _buffer.Clear();
        CniJson.Write(_document, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "model -> 1.1.0 document -> pooled buffer")]
    public int WriteFromModel()
    {
        _buffer.Clear();
        CniResultConverter.Write(_result, SpecVersion.V1_1_0, _buffer);
        return _buffer.WrittenCount;
    }
}
