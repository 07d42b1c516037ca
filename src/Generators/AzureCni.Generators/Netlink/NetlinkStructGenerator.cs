using AzureCni.Generators.Common;
using AzureCni.Generators.Netlink.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AzureCni.Generators.Netlink;

/// <summary>
/// Emits codecs for netlink kernel structs ([NetlinkStruct]), attribute sets ([NetlinkAttributeSet]) and
/// message bodies ([NetlinkMessage]). The marker attributes live in AzureCni.Netlink and are found by metadata name.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetlinkStructGenerator : IIncrementalGenerator
{
    internal const string StructAttributeName = "AzureCni.Netlink.Generation.NetlinkStructAttribute";
    internal const string AttributeSetAttributeName = "AzureCni.Netlink.Generation.NetlinkAttributeSetAttribute";
    internal const string AttributeAttributeName = "AzureCni.Netlink.Generation.NetlinkAttributeAttribute";
    internal const string MessageAttributeName = "AzureCni.Netlink.Generation.NetlinkMessageAttribute";

    /// <summary>Names of the pipeline steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        public const string Structs = "Netlink.0_Structs";
        public const string AttributeSets = "Netlink.1_AttributeSets";
        public const string Messages = "Netlink.2_Messages";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<NetlinkParseResult<NetlinkStructSpec>> structs = context.SyntaxProvider
            .ForAttributeWithMetadataName(StructAttributeName, static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Parser.ParseStruct(ctx, ct))
            .WithTrackingName(TrackingNames.Structs);

        IncrementalValuesProvider<NetlinkParseResult<NetlinkAttributeSetSpec>> sets = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeSetAttributeName, static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Parser.ParseAttributeSet(ctx, ct))
            .WithTrackingName(TrackingNames.AttributeSets);

        IncrementalValuesProvider<NetlinkParseResult<NetlinkMessageSpec>> messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(MessageAttributeName, static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Parser.ParseMessage(ctx, ct))
            .WithTrackingName(TrackingNames.Messages);

        context.RegisterSourceOutput(structs, static (spc, result) => Output(spc, result, Emitter.EmitStruct));
        context.RegisterSourceOutput(sets, static (spc, result) => Output(spc, result, Emitter.EmitAttributeSet));
        context.RegisterSourceOutput(messages, static (spc, result) => Output(spc, result, Emitter.EmitMessage));
    }

    private static void Output<TSpec>(SourceProductionContext context, NetlinkParseResult<TSpec> result,
        System.Func<TSpec, (string HintName, Microsoft.CodeAnalysis.Text.SourceText Source)> emit)
        where TSpec : class
    {
        foreach (DiagnosticInfo diagnostic in result.Diagnostics)
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        if (result.Spec is not null)
        {
            (string hintName, Microsoft.CodeAnalysis.Text.SourceText source) = emit(result.Spec);
            context.AddSource(hintName, source);
        }
    }
}
