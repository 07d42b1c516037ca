using AzureCni.Generators.Common;
using AzureCni.Generators.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AzureCni.Generators.Tests.Json;

/// <summary>The pipeline serves unchanged types from cache and keeps no compilation data in its steps.</summary>
public sealed class GeneratorIncrementalTests
{
    private const string Attributed = """
        using AzureCni.Json;
        namespace Sample;

        [CniJsonObject]
        public partial class Conf
        {
            public string? Name { get; set; }
            public int Mtu { get; set; }
        }
        """;

    private const string WithBadMember = """
        using AzureCni.Json;
        namespace Sample;

        [CniJsonObject]
        public partial class Conf
        {
            public string? Name { get; set; }
            public System.DateTime When { get; set; }
        }
        """;

    private static readonly PipelineSteps s_steps = CniJsonGenerator.Steps;

    [Fact]
    public void UnrelatedTypeAdded_EveryStepIsCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Json.CreateCompilation(Attributed);
        GeneratorDriver driver = GeneratorHarness.Json.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample; public class Unrelated { public int X { get; set; } }", GeneratorHarness.ParseOptions));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_steps.All)
            IncrementalAssert.Reasons(run, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        IncrementalAssert.OutputReasons(run, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void SameCompilationRunTwice_EveryStepIsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Json.CreateCompilation(Attributed);
        GeneratorDriver driver = GeneratorHarness.Json.CreateDriver().RunGenerators(compilation);

        GeneratorRunResult run = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        foreach (string step in s_steps.All)
            IncrementalAssert.Reasons(run, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void AttributedTypeGainsAMember_SpecIsModified()
    {
        CSharpCompilation compilation = GeneratorHarness.Json.CreateCompilation(Attributed);
        GeneratorDriver driver = GeneratorHarness.Json.CreateDriver().RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(Attributed.Replace("public int Mtu", "public bool Snat { get; set; }\n    public int Mtu"), GeneratorHarness.ParseOptions, old.FilePath);
        GeneratorRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();

        IncrementalAssert.Reasons(run, s_steps.Parse, IncrementalStepRunReason.Modified);
        IncrementalAssert.Reasons(run, s_steps.GeneratedSpec, IncrementalStepRunReason.Modified);
        Assert.Contains(run.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"snat\"u8", run.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void OnlyADiagnosticLocationMoves_SourceIsNotRegenerated()
    {
        CSharpCompilation compilation = GeneratorHarness.Json.CreateCompilation(WithBadMember);
        GeneratorDriver driver = GeneratorHarness.Json.CreateDriver().RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree moved = CSharpSyntaxTree.ParseText("// moved down\n\n" + WithBadMember, GeneratorHarness.ParseOptions, old.FilePath);
        GeneratorRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, moved)).GetRunResult().Results.Single();

        IncrementalAssert.Reasons(run, s_steps.Parse, IncrementalStepRunReason.Modified);
        IncrementalAssert.Reasons(run, s_steps.Diagnostics, IncrementalStepRunReason.Modified);
        IncrementalAssert.Reasons(run, s_steps.GeneratedSpec, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        // The unsupported member was on line 7 (0-based); two lines were inserted above it.
        Assert.Equal(9, Assert.Single(run.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void StepOutputs_HoldNoSymbolsSyntaxOrCompilation()
    {
        CSharpCompilation compilation = GeneratorHarness.Json.CreateCompilation(Attributed, WithBadMember.Replace("class Conf", "class Other"), """
            using System.Collections.Generic;
            using AzureCni.Json;
            namespace Sample;
            public partial class Outer
            {
                [CniJsonObject]
                public partial struct Inner
                {
                    public List<Dictionary<string, int?>>? Deep { get; set; }
                    public RawJson Raw { get; set; }
                    [JsonUnknownFields] public JsonFieldBag? Bag { get; set; }
                }
            }
            """);
        GeneratorRunResult run = GeneratorHarness.Json.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        int walked = IncrementalAssert.NoCompilationData(run, s_steps.All);
        Assert.True(walked > 20, $"walked only {walked} objects");
    }
}
