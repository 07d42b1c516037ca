using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using AzureCni.Generators.Json;
using AzureCni.Generators.Netlink;
using AzureCni.Json;
using AzureCni.Netlink.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AzureCni.Generators.Tests.Common;

/// <summary>
/// Runs one generator over in-memory sources: the running runtime's System assemblies plus the assembly that
/// declares the generator's marker attributes, which is what a net10.0 library consuming the generator sees.
/// </summary>
internal sealed class GeneratorHarness(IIncrementalGenerator generator, Assembly markerAssembly)
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The JSON generator, with AzureCni.Json.</summary>
    public static GeneratorHarness Json { get; } = new(new CniJsonGenerator(), typeof(CniJsonObjectAttribute).Assembly);

    /// <summary>The netlink generator, with AzureCni.Netlink (markers and codec runtime).</summary>
    public static GeneratorHarness Netlink { get; } = new(new NetlinkStructGenerator(), typeof(NetlinkStructAttribute).Assembly);

    private readonly ImmutableArray<MetadataReference> _references = BuildReferences(markerAssembly);

    public CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "GeneratorSample",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            _references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the compilation with the generated sources and the generator's diagnostics.</summary>
    public (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run) Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>Runs the generator over <paramref name="sources"/>.</summary>
    public (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run) Run(params string[] sources)
        => Run(CreateCompilation(sources));

    /// <summary>Compiles sources with the generator, asserts no diagnostic at all, and loads the assembly.</summary>
    public Assembly CompileAndLoad(params string[] sources)
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, _) = Run(CreateCompilation(sources));
        Assert.Empty(generatorDiagnostics);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.Empty(emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        Assert.True(emitted.Success);
        image.Position = 0;
        // The marker assembly is not in this context, so it resolves to the test's own copy: one set of runtime types.
        return new AssemblyLoadContext("GeneratorSample", isCollectible: true).LoadFromStream(image);
    }

    private static ImmutableArray<MetadataReference> BuildReferences(Assembly markerAssembly)
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(markerAssembly.Location))
            .ToImmutableArray();
    }
}
