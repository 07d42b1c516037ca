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
/// Pipeline: attributed type -> <see cref="ParseResult{TSpec}"/> (equatable spec + diagnostics) -> two
/// outputs (<see cref="PipelineOutputs"/>), the same shape as the netlink generator's.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class CniJsonGenerator : IIncrementalGenerator
{
    internal const string AttributeMetadataName = "AzureCni.Json.CniJsonObjectAttribute";

    /// <summary>Names of the tracked pipeline steps (tests assert their run reasons).</summary>
    public static PipelineSteps Steps { get; } = PipelineSteps.Named("CniJson");

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult<JsonObjectSpec>> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.Parse);

        PipelineOutputs.Register(context, results, Steps, static spec => (spec.HintName, Emitter.Emit(spec)));
    }
}
