using System.Collections;
using System.Reflection;
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

    private static readonly string[] s_stepNames = [TrackingNames.Parse, TrackingNames.Spec, TrackingNames.GeneratedSpec, TrackingNames.Diagnostics];

    [Fact]
    public void UnrelatedTypeAdded_EveryStepIsCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Attributed);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample; public class Unrelated { public int X { get; set; } }", GeneratorHarness.ParseOptions));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in s_stepNames)
            AssertReasons(run, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertOutputReasons(run, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void SameCompilationRunTwice_EveryStepIsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Attributed);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        GeneratorRunResult run = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        foreach (string step in s_stepNames)
            AssertReasons(run, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void AttributedTypeGainsAMember_SpecIsModified()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Attributed);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(Attributed.Replace("public int Mtu", "public bool Snat { get; set; }\n    public int Mtu"), GeneratorHarness.ParseOptions, old.FilePath);
        GeneratorRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();

        AssertReasons(run, TrackingNames.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(run, TrackingNames.GeneratedSpec, IncrementalStepRunReason.Modified);
        Assert.Contains(run.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"snat\"u8", run.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void OnlyADiagnosticLocationMoves_SourceIsNotRegenerated()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(WithBadMember);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree moved = CSharpSyntaxTree.ParseText("// moved down\n\n" + WithBadMember, GeneratorHarness.ParseOptions, old.FilePath);
        GeneratorRunResult run = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, moved)).GetRunResult().Results.Single();

        AssertReasons(run, TrackingNames.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(run, TrackingNames.Diagnostics, IncrementalStepRunReason.Modified);
        AssertReasons(run, TrackingNames.GeneratedSpec, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        // The unsupported member was on line 7 (0-based); two lines were inserted above it.
        Assert.Equal(9, Assert.Single(run.Diagnostics).Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void StepOutputs_HoldNoSymbolsSyntaxOrCompilation()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Attributed, WithBadMember.Replace("class Conf", "class Other"), """
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
        GeneratorRunResult run = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        int walked = 0;
        foreach (string step in s_stepNames)
        {
            foreach (IncrementalGeneratorRunStep runStep in run.TrackedSteps[step])
            {
                foreach ((object value, IncrementalStepRunReason _) in runStep.Outputs)
                    walked += AssertNoCompilationData(value, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
            }
        }
        Assert.True(walked > 20, $"walked only {walked} objects");
    }

    private static void AssertReasons(GeneratorRunResult run, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(run.TrackedSteps.TryGetValue(step, out var steps), $"step {step} not tracked");
        foreach (IncrementalGeneratorRunStep runStep in steps!)
        {
            foreach ((object _, IncrementalStepRunReason reason) in runStep.Outputs)
                Assert.True(allowed.Contains(reason), $"step {step}: {reason}, expected one of {string.Join(", ", allowed)}");
        }
    }

    private static void AssertOutputReasons(GeneratorRunResult run, params IncrementalStepRunReason[] allowed)
    {
        Assert.NotEmpty(run.TrackedOutputSteps);
        foreach (IncrementalGeneratorRunStep runStep in run.TrackedOutputSteps.SelectMany(pair => pair.Value))
        {
            foreach ((object _, IncrementalStepRunReason reason) in runStep.Outputs)
                Assert.True(allowed.Contains(reason), $"output step: {reason}, expected one of {string.Join(", ", allowed)}");
        }
    }

    // Walks the object graph by reflection; returns how many objects it visited.
    private static int AssertNoCompilationData(object? node, HashSet<object> visited, string step)
    {
        if (node is null)
            return 0;
        Type type = node.GetType();
        if (type.IsPrimitive || type.IsEnum || node is string || node is Pointer)
            return 1;
        Assert.False(node is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location,
            $"step {step} holds a {type.FullName}");
        if (!type.IsValueType && !visited.Add(node))
            return 0;
        // Descriptors are static singletons made of strings; they are safe to cache.
        if (node is DiagnosticDescriptor)
            return 1;

        int count = 1;
        if (node is IEnumerable sequence and not string)
        {
            foreach (object? item in sequence)
                count += AssertNoCompilationData(item, visited, step);
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                    continue;
                count += AssertNoCompilationData(field.GetValue(node), visited, step);
            }
        }
        return count;
    }
}
