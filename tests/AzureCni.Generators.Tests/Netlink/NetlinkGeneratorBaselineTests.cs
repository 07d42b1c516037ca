using Microsoft.CodeAnalysis;

namespace AzureCni.Generators.Tests.Netlink;

/// <summary>
/// Every file the netlink generator emits for <see cref="NetlinkSamples.Valid"/>, compared whole with a
/// checked-in baseline (see <see cref="Baselines"/> for how to regenerate them).
/// </summary>
public sealed class NetlinkGeneratorBaselineTests
{
    public static TheoryData<string> HintNames => new(NetlinkSamples.HintNames);

    [Theory]
    [MemberData(nameof(HintNames))]
    public void GeneratedFile_MatchesTheBaseline(string hintName)
    {
        var (_, diagnostics, run) = GeneratorHarness.Netlink.Run(NetlinkSamples.Valid);
        Assert.Empty(diagnostics);
        GeneratedSourceResult generated = run.Results.Single().GeneratedSources.Single(s => s.HintName == hintName);

        Baselines.AssertMatches(Path.Combine(Baselines.Directory(), hintName + ".txt"), generated.SourceText.ToString());
    }
}
