using AzureCni.Generators.Common;
using AzureCni.Generators.Netlink.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AzureCni.Generators.Netlink;

/// <summary>
/// Emits codecs for netlink kernel structs ([NetlinkStruct]), attribute sets ([NetlinkAttributeSet]) and
/// message bodies ([NetlinkMessage]). The marker attributes live in AzureCni.Netlink and are found by metadata name.
/// </summary>
/// <remarks>
/// Three pipelines, one per marker, each of the JSON generator's shape: declaration -> <see cref="ParseResult{TSpec}"/>
/// -> source from the spec alone, diagnostics from their own step (<see cref="PipelineOutputs"/>).
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetlinkStructGenerator : IIncrementalGenerator
{
    internal const string StructAttributeName = "AzureCni.Netlink.Generation.NetlinkStructAttribute";
    internal const string AttributeSetAttributeName = "AzureCni.Netlink.Generation.NetlinkAttributeSetAttribute";
    internal const string AttributeAttributeName = "AzureCni.Netlink.Generation.NetlinkAttributeAttribute";
    internal const string MessageAttributeName = "AzureCni.Netlink.Generation.NetlinkMessageAttribute";

    /// <summary>Tracked steps of the struct pipeline (tests assert their run reasons).</summary>
    public static PipelineSteps StructSteps { get; } = PipelineSteps.Named("Netlink.Struct");

    /// <summary>Tracked steps of the attribute-set pipeline.</summary>
    public static PipelineSteps AttributeSetSteps { get; } = PipelineSteps.Named("Netlink.AttributeSet");

    /// <summary>Tracked steps of the message pipeline.</summary>
    public static PipelineSteps MessageSteps { get; } = PipelineSteps.Named("Netlink.Message");

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult<NetlinkStructSpec>> structs = context.SyntaxProvider
            .ForAttributeWithMetadataName(StructAttributeName, static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Parser.ParseStruct(ctx, ct))
            .WithTrackingName(StructSteps.Parse);

        IncrementalValuesProvider<ParseResult<NetlinkAttributeSetSpec>> sets = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeSetAttributeName, static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Parser.ParseAttributeSet(ctx, ct))
            .WithTrackingName(AttributeSetSteps.Parse);

        IncrementalValuesProvider<ParseResult<NetlinkMessageSpec>> messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(MessageAttributeName, static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Parser.ParseMessage(ctx, ct))
            .WithTrackingName(MessageSteps.Parse);

        PipelineOutputs.Register(context, structs, StructSteps, Emitter.EmitStruct);
        PipelineOutputs.Register(context, sets, AttributeSetSteps, Emitter.EmitAttributeSet);
        PipelineOutputs.Register(context, messages, MessageSteps, Emitter.EmitMessage);
    }
}
