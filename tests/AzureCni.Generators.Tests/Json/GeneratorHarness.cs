using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using AzureCni.Generators.Json;
using AzureCni.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AzureCni.Generators.Tests.Json;

/// <summary>Runs <see cref="CniJsonGenerator"/> over in-memory sources.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // The running runtime's assemblies plus AzureCni.Json: what a net10.0 library consuming the generator sees.
    private static readonly ImmutableArray<MetadataReference> s_references = BuildReferences();

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "GeneratorSample",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [new CniJsonGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the compilation with the generated sources and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run) Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>Compiles sources with the generator, asserts no diagnostic at all, and loads the assembly.</summary>
    public static Assembly CompileAndLoad(params string[] sources)
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, _) = Run(CreateCompilation(sources));
        Assert.Empty(generatorDiagnostics);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.Empty(emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        Assert.True(emitted.Success);
        image.Position = 0;
        // AzureCni.Json is not in this context, so it resolves to the test's own copy: one RawJson type.
        return new AssemblyLoadContext("GeneratorSample", isCollectible: true).LoadFromStream(image);
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(CniJsonObjectAttribute).Assembly.Location))
            .ToImmutableArray();
    }
}
