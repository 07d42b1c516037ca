using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AzureCni.Generators.Tests.Json;

/// <summary>Each shape the generator cannot handle gets its own diagnostic, at the offending declaration.</summary>
public sealed class GeneratorDiagnosticTests
{
    public static TheoryData<string, string, string> BadShapes => new()
    {
        { "ACNI1001", "Conf", "[CniJsonObject] public class Conf { public string? Name { get; set; } }" },
        { "ACNI1002", "Conf", "public class Outer { [CniJsonObject] public partial class Conf { public string? Name { get; set; } } }" },
        { "ACNI1003", "When", "[CniJsonObject] public partial class Conf { public System.DateTime When { get; set; } }" },
        { "ACNI1003", "Map", "[CniJsonObject] public partial class Conf { public System.Collections.Generic.Dictionary<int, string>? Map { get; set; } }" },
        { "ACNI1003", "Items", "[CniJsonObject] public partial class Conf { public System.Collections.Generic.IList<string>? Items { get; set; } }" },
        { "ACNI1003", "Plain", "public class Plain { } [CniJsonObject] public partial class Conf { public Plain? Plain { get; set; } }" },
        { "ACNI1004", "Second", "[CniJsonObject] public partial class Conf { public string? First { get; set; } [JsonName(\"first\")] public string? Second { get; set; } }" },
        { "ACNI1005", "Extra", "[CniJsonObject] public partial class Conf { [JsonUnknownFields] public System.Collections.Generic.Dictionary<string, RawJson>? Extra { get; set; } }" },
        { "ACNI1006", "More", "[CniJsonObject] public partial class Conf { [JsonUnknownFields] public JsonFieldBag? Extra { get; set; } [JsonUnknownFields] public JsonFieldBag? More { get; set; } }" },
        { "ACNI1007", "Conf", "[CniJsonObject] public partial class Conf<T> { public string? Name { get; set; } }" },
        { "ACNI1007", "Conf", "public partial class Outer<T> { [CniJsonObject] public partial class Conf { public string? Name { get; set; } } }" },
        { "ACNI1008", "Name", "[CniJsonObject] public partial class Conf { [JsonName(\"\")] public string? Name { get; set; } }" },
        { "ACNI1009", "Conf", "[CniJsonObject] public partial class Conf { public Conf(int x) { } public string? Name { get; set; } }" },
        { "ACNI1010", "Extra", "[CniJsonObject] public partial class Conf { [JsonUnknownFields] public JsonFieldBag Extra { get; } = new(); }" },
        { "ACNI1010", "Name", "[CniJsonObject] public partial class Conf { [JsonName(\"n\")] public string? Name { get; private set; } }" },
    };

    [Theory]
    [MemberData(nameof(BadShapes))]
    public void BadShape_ReportsItsDiagnosticAtTheDeclaration(string id, string identifierAtLocation, string declaration)
    {
        string source = "using AzureCni.Json;\nnamespace Sample;\n" + declaration;

        (_, ImmutableArray<Diagnostic> diagnostics, _) = GeneratorHarness.Json.Run(GeneratorHarness.Json.CreateCompilation(source));

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("AzureCni.Json", diagnostic.Descriptor.Category);
        Assert.Equal(identifierAtLocation, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void MemberLevelProblem_StillGeneratesTheOtherMembers()
    {
        const string source = "using AzureCni.Json;\nnamespace Sample;\n[CniJsonObject] public partial class Conf { public System.DateTime When { get; set; } public string? Name { get; set; } }";

        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult run) = GeneratorHarness.Json.Run(GeneratorHarness.Json.CreateCompilation(source));

        Assert.Equal("ACNI1003", Assert.Single(diagnostics).Id);
        string generated = Assert.Single(run.GeneratedTrees).ToString();
        Assert.Contains("\"name\"u8", generated);
        Assert.DoesNotContain("when", generated);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void GoodShapes_ReportNothingAndCompileCleanly()
    {
        const string source = """
            using System.Collections.Generic;
            using AzureCni.Json;
            namespace Sample;
            [CniJsonObject] public partial class A { [JsonIgnore] public System.DateTime When { get; set; } public B? B { get; set; } public int Get { get; } }
            [CniJsonObject] public readonly partial struct B { public string? X { get; init; } public List<int[]>? Y { get; init; } }
            [CniJsonObject] public partial record struct C(int Ignored) { public C() : this(0) { } public long Z { get; set; } }
            [CniJsonObject] internal sealed partial class D : A { public required string Name { get; init; } }
            public partial class Outer { internal static partial class Middle { [CniJsonObject] internal partial class E { public E? Self { get; set; } } } }
            [CniJsonObject] public partial class Empty { }
            [CniJsonObject] public partial class OnlyBag { [JsonUnknownFields] public JsonFieldBag Bag { get; init; } = new(); }
            """;

        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult run) = GeneratorHarness.Json.Run(GeneratorHarness.Json.CreateCompilation(source));

        Assert.Empty(diagnostics);
        Assert.Equal(7, run.GeneratedTrees.Length);
        Assert.Contains(run.Results.Single().GeneratedSources, s => s.HintName == "Sample.Outer.Middle.E.CniJson.g.cs");
        string problems = string.Join("\n", output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.True(problems.Length == 0, problems);
    }

    [Fact]
    public void SameInput_GivesByteIdenticalOutputWithTheHouseHeader()
    {
        const string source = """
            using System.Collections.Generic;
            using AzureCni.Json;
            namespace Sample;
            [CniJsonObject] public partial class A { public List<string>? L { get; set; } public Dictionary<string, A>? M { get; set; } }
            """;

        string first = Assert.Single(GeneratorHarness.Json.Run(GeneratorHarness.Json.CreateCompilation(source)).Run.GeneratedTrees).ToString();
        string second = Assert.Single(GeneratorHarness.Json.Run(GeneratorHarness.Json.CreateCompilation(source)).Run.GeneratedTrees).ToString();

        Assert.Equal(first, second);
        Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", first.TrimStart('\uFEFF').Replace("\r\n", "\n"));
        Assert.DoesNotContain(" System.", first.Replace("global::System.", ""));
    }
}
