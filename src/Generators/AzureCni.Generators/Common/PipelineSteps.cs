using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AzureCni.Generators.Common;

/// <summary>
/// The tracking names of one declaration kind's pipeline: attributed declaration -> parse result -> spec
/// alone -> non-null specs, and the diagnostics alone. Tests assert the run reason of each step.
/// </summary>
public sealed record PipelineSteps(string Parse, string Spec, string GeneratedSpec, string Diagnostics)
{
    /// <summary>The four step names under one prefix, e.g. <c>CniJson.Parse</c>.</summary>
    public static PipelineSteps Named(string prefix) =>
        new(prefix + ".Parse", prefix + ".Spec", prefix + ".GeneratedSpec", prefix + ".Diagnostics");

    /// <summary>Every step, for tests that check them all.</summary>
    public string[] All => [Parse, Spec, GeneratedSpec, Diagnostics];
}

/// <summary>Registers the two outputs every pipeline of this assembly has.</summary>
internal static class PipelineOutputs
{
    /// <summary>
    /// Source is emitted from the spec alone and diagnostics are reported from their own step, so an edit
    /// that only moves a location re-reports diagnostics without regenerating source.
    /// </summary>
    public static void Register<TSpec>(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ParseResult<TSpec>> results,
        PipelineSteps steps, Func<TSpec, (string HintName, SourceText Source)> emit)
        where TSpec : class
    {
        IncrementalValuesProvider<TSpec> specs = results
            .Select(static (result, _) => result.Spec)
            .WithTrackingName(steps.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(steps.GeneratedSpec);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(steps.Diagnostics);

        context.RegisterSourceOutput(specs, (context, spec) =>
        {
            (string hintName, SourceText source) = emit(spec);
            context.AddSource(hintName, source);
        });
        context.RegisterSourceOutput(diagnostics, static (context, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }
}
