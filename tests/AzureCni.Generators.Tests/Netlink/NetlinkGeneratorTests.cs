using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using AzureCni.Generators.Netlink;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AzureCni.Generators.Tests.Netlink;

/// <summary>The netlink generator: diagnostics, compiling output, incrementality and a symbol-free model.</summary>
public sealed class NetlinkGeneratorTests
{
    private const string ValidSource = """
        using System;
        using AzureCni.Netlink.Generation;

        namespace Sample;

        [NetlinkStruct]
        internal partial struct samplemsg { public byte family; public uint key; public ushort port; }

        internal enum SAMPLE : ushort { NAME = 1, KEY = 2, PORT = 3, ON = 4, INNER = 5, HDR = 6 }

        [NetlinkAttributeSet]
        internal partial struct Inner { [NetlinkAttribute(1)] public long? Value; }

        [NetlinkAttributeSet]
        internal ref partial struct SampleAttributes
        {
            [NetlinkAttribute(SAMPLE.NAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
            [NetlinkAttribute(SAMPLE.KEY)] public uint? Key;
            [NetlinkAttribute(SAMPLE.PORT, Encoding = NetlinkEncoding.BigEndian)] public ushort? Port;
            [NetlinkAttribute(SAMPLE.ON)] public bool On;
            [NetlinkAttribute(SAMPLE.INNER, Encoding = NetlinkEncoding.NestedWithFlag)] public Inner Inner;
            [NetlinkAttribute(SAMPLE.HDR)] public samplemsg? Header;
        }

        [NetlinkMessage(typeof(samplemsg), typeof(SampleAttributes))]
        internal ref partial struct SampleMessage;
        """;

    [Fact]
    public void ValidDeclarations_GenerateCodeThatCompiles()
    {
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult run) = Run(ValidSource);

        Assert.Empty(diagnostics);
        Assert.Equal(
            ["Sample.Inner.Netlink.g.cs", "Sample.SampleAttributes.Netlink.g.cs", "Sample.SampleMessage.Netlink.g.cs", "Sample.samplemsg.Netlink.g.cs"],
            run.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string structSource = run.GeneratedTrees.Single(t => t.FilePath.EndsWith("samplemsg.Netlink.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("public const int Size = 12;", structSource, StringComparison.Ordinal);
        Assert.Contains("destination.Slice(4), in this.key", structSource, StringComparison.Ordinal);
        Assert.Contains("destination.Slice(8), in this.port", structSource, StringComparison.Ordinal);
        string setSource = run.GeneratedTrees.Single(t => t.FilePath.EndsWith("SampleAttributes.Netlink.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("case 3: // PORT", setSource, StringComparison.Ordinal);
        Assert.Contains("NetlinkWriter.NestedFlag", setSource, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ACNI2001", "[NetlinkStruct] internal struct notpartial { public int a; }")]
    [InlineData("ACNI2002", "internal partial class Outer { [NetlinkStruct] internal partial struct nested { public int a; } }")]
    [InlineData("ACNI2003", "[NetlinkStruct] internal partial struct badfield { public string a; }")]
    [InlineData("ACNI2004", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1)] public string A; }")]
    [InlineData("ACNI2004", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1, Encoding = NetlinkEncoding.BigEndian)] public int? A; }")]
    [InlineData("ACNI2005", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1)] public int? A; [NetlinkAttribute(1)] public int? B; }")]
    [InlineData("ACNI2006", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(0)] public int? A; }")]
    [InlineData("ACNI2006", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(0x4001)] public int? A; }")]
    [InlineData("ACNI2007", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1)] public System.ReadOnlySpan<byte> A; }")]
    [InlineData("ACNI2008", "[NetlinkMessage(typeof(int), typeof(string))] internal ref partial struct M;")]
    [InlineData("ACNI2009", "[NetlinkStruct] internal partial struct empty { }")]
    public void InvalidDeclaration_ReportsDiagnostic_AndEmitsNothingForIt(string id, string declaration)
    {
        (_, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult run) = Run("using AzureCni.Netlink.Generation;\nnamespace Bad;\n" + declaration);

        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, diagnostic =>
        {
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal("AzureCni.Netlink", diagnostic.Descriptor.Category);
            Assert.NotEqual(Location.None, diagnostic.Location);
        });
        Assert.Empty(run.GeneratedTrees);
    }

    [Fact]
    public void UnrelatedEdit_LeavesEveryStepCached()
    {
        CSharpCompilation compilation = CreateCompilation(ValidSource);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; internal sealed class Unrelated { }",
            (CSharpParseOptions)compilation.SyntaxTrees[0].Options));

        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { NetlinkStructGenerator.TrackingNames.Structs, NetlinkStructGenerator.TrackingNames.AttributeSets, NetlinkStructGenerator.TrackingNames.Messages })
        {
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void ChangingAField_RegeneratesOnlyThatType()
    {
        CSharpCompilation compilation = CreateCompilation(ValidSource);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees[0];
        SyntaxTree changed = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(ValidSource.Replace("public ushort port;", "public ulong port;", StringComparison.Ordinal)));

        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, changed)).GetRunResult().Results.Single();

        Assert.Contains(second.TrackedSteps[NetlinkStructGenerator.TrackingNames.Structs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("public const int Size = 16;", second.GeneratedSources.Single(s => s.HintName == "Sample.samplemsg.Netlink.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineValues_HoldNoSymbolsSyntaxOrCompilation()
    {
        GeneratorRunResult result = CreateDriver().RunGenerators(CreateCompilation(ValidSource)).GetRunResult().Results.Single();

        // Roslyn's own steps inside ForAttributeWithMetadataName hold syntax by design; ours must not.
        string[] steps = [NetlinkStructGenerator.TrackingNames.Structs, NetlinkStructGenerator.TrackingNames.AttributeSets, NetlinkStructGenerator.TrackingNames.Messages];
        foreach (string step in steps)
        {
            Assert.NotEmpty(result.TrackedSteps[step]);
            foreach ((object value, _) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
                AssertNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    [Fact]
    public void Output_IsDeterministic()
    {
        string First() => string.Join("\n", Run(ValidSource).Run.GeneratedTrees.Select(t => t.ToString()));
        Assert.Equal(First(), First());
    }

    private static void AssertNoCompilerObjects(object? node, string path, HashSet<object> seen)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !seen.Add(node))
            return;
        if (node.GetType().IsGenericType && node.GetType().GetGenericTypeDefinition() == typeof(ImmutableArray<>)
            && (bool)node.GetType().GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(node)!)
            return;
        Assert.False(node is Compilation or ISymbol or SyntaxNode or Location or SemanticModel, $"{path} holds a {node.GetType().Name}");
        if (node is IEnumerable sequence)
        {
            foreach (object? item in sequence)
                AssertNoCompilerObjects(item, path + "[]", seen);
            return;
        }
        foreach (FieldInfo field in node.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertNoCompilerObjects(field.GetValue(node), path + "." + field.Name, seen);
    }

    private static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Run) Run(string source)
    {
        CSharpCompilation compilation = CreateCompilation(source);
        CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult run = CreateDriver().RunGenerators(compilation).GetRunResult();
        return (output, diagnostics, run);
    }

    private static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create([new NetlinkStructGenerator().AsSourceGenerator()],
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true),
            parseOptions: new CSharpParseOptions(LanguageVersion.Preview));

    private static CSharpCompilation CreateCompilation(string source)
    {
        IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(AzureCni.Netlink.Generation.NetlinkStructAttribute).Assembly.Location));
        return CSharpCompilation.Create("NetlinkGeneratorTests",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: "Sample.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
