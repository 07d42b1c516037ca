using AzureCni.Generators.Common;
using AzureCni.Generators.Netlink;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AzureCni.Generators.Tests.Netlink;

/// <summary>Each of the three pipelines serves unchanged declarations from cache and keeps no compilation data.</summary>
public sealed class NetlinkGeneratorIncrementalTests
{
    private static readonly PipelineSteps[] s_pipelines =
        [NetlinkStructGenerator.StructSteps, NetlinkStructGenerator.AttributeSetSteps, NetlinkStructGenerator.MessageSteps];

    private const string WithBadField = """
        using AzureCni.Netlink.Generation;
        namespace Sample;

        [NetlinkAttributeSet]
        internal partial struct Bad
        {
            [NetlinkAttribute(1)] public int? Good;
            [NetlinkAttribute(2)] public string Wrong;
        }
        """;

    [Fact]
    public void UnrelatedTypeAdded_EveryStepIsCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Netlink.CreateCompilation(NetlinkSamples.Valid);
        GeneratorDriver driver = GeneratorHarness.Netlink.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; internal sealed class Unrelated { }", GeneratorHarness.ParseOptions));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_pipelines.SelectMany(p => p.All))
            IncrementalAssert.Reasons(run, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        IncrementalAssert.OutputReasons(run, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void SameCompilationRunTwice_EveryStepIsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Netlink.CreateCompilation(NetlinkSamples.Valid);
        GeneratorDriver driver = GeneratorHarness.Netlink.CreateDriver().RunGenerators(compilation);

        GeneratorRunResult run = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        foreach (string step in s_pipelines.SelectMany(p => p.All))
            IncrementalAssert.Reasons(run, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void StructFieldWidened_OnlyThatStructIsRegenerated()
    {
        CSharpCompilation compilation = GeneratorHarness.Netlink.CreateCompilation(NetlinkSamples.Valid);
        GeneratorDriver driver = GeneratorHarness.Netlink.CreateDriver().RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = old.WithChangedText(SourceText.From(NetlinkSamples.Valid.Replace("public ushort port;", "public ulong port;", StringComparison.Ordinal)));
        GeneratorRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();

        Assert.Contains(run.TrackedSteps[NetlinkStructGenerator.StructSteps.GeneratedSpec].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        // Sets and messages name the struct but do not depend on its layout: their specs are unchanged.
        IncrementalAssert.Reasons(run, NetlinkStructGenerator.AttributeSetSteps.GeneratedSpec, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        IncrementalAssert.Reasons(run, NetlinkStructGenerator.MessageSteps.GeneratedSpec, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Contains("public const int Size = 16;", run.GeneratedSources.Single(s => s.HintName == "Sample.samplemsg.Netlink.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyADiagnosticLocationMoves_SourceIsNotRegenerated()
    {
        CSharpCompilation compilation = GeneratorHarness.Netlink.CreateCompilation(NetlinkSamples.Valid, WithBadField);
        GeneratorDriver driver = GeneratorHarness.Netlink.CreateDriver().RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees[1];
        SyntaxTree moved = CSharpSyntaxTree.ParseText("// moved down\n\n" + WithBadField, GeneratorHarness.ParseOptions, old.FilePath);
        GeneratorRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, moved)).GetRunResult().Results.Single();

        PipelineSteps sets = NetlinkStructGenerator.AttributeSetSteps;
        Assert.Contains(run.TrackedSteps[sets.Parse].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run.TrackedSteps[sets.Diagnostics].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        IncrementalAssert.Reasons(run, sets.GeneratedSpec, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        // The unsupported field was on line 7 (0-based); two lines were inserted above it.
        Assert.Equal(9, Assert.Single(run.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void StepOutputs_HoldNoSymbolsSyntaxOrCompilation()
    {
        GeneratorRunResult run = GeneratorHarness.Netlink.CreateDriver()
            .RunGenerators(GeneratorHarness.Netlink.CreateCompilation(NetlinkSamples.Valid, WithBadField)).GetRunResult().Results.Single();

        int walked = IncrementalAssert.NoCompilationData(run, s_pipelines.SelectMany(p => p.All));
        Assert.True(walked > 50, $"walked only {walked} objects");
    }
}
