using AzureCni.Generators.Common;
using AzureCni.Generators.Json.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AzureCni.Generators.Json;

/// <summary>
/// Generates reflection-free <c>ReadJson</c>/<c>WriteJson</c> for types marked
/// <c>[AzureCni.Json.CniJsonObject]</c> (the contract is in src/Generators/AzureCni.Json/Attributes.cs).
/// </summary>
/// <remarks>
/// Pipeline: attributed type -> <see cref="JsonParseResult"/> (equatable spec + diagnostics) -> two
/// outputs. Source is emitted from the spec alone, so an edit that only moves a location re-reports
/// diagnostics but does not regenerate source.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class CniJsonGenerator : IIncrementalGenerator
{
    internal const string AttributeMetadataName = "AzureCni.Json.CniJsonObjectAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<JsonParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<JsonObjectSpec> specs = results
            .Select(static (result, _) => result.Spec)
            .WithTrackingName(TrackingNames.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.GeneratedSpec);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(specs, static (context, spec) => context.AddSource(spec.HintName, Emitter.Emit(spec)));
        context.RegisterSourceOutput(diagnostics, static (context, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }
}

/// <summary>Names of the tracked pipeline steps (tests assert their run reasons).</summary>
public static class TrackingNames
{
    /// <summary>Attributed type -> spec and diagnostics.</summary>
    public const string Parse = "CniJson.Parse";

    /// <summary>The spec alone (null when the type cannot be generated).</summary>
    public const string Spec = "CniJson.Spec";

    /// <summary>The non-null specs that reach the emitter.</summary>
    public const string GeneratedSpec = "CniJson.GeneratedSpec";

    /// <summary>The diagnostics alone.</summary>
    public const string Diagnostics = "CniJson.Diagnostics";
}
