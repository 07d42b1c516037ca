using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace AzureCni.Benchmarks;

/// <summary>
/// The configuration every benchmark here uses: BenchmarkDotNet's defaults plus allocation figures
/// (MemoryDiagnoser) and the category column, so "allocates 0 B" claims are measured, not assumed.
/// </summary>
public sealed class RecommendedConfig : ManualConfig
{
    public RecommendedConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(CategoriesColumn.Default);
    }
}
