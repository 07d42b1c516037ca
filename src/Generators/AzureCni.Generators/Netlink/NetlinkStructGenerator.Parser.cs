using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AzureCni.Generators.Common;
using AzureCni.Generators.Netlink.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AzureCni.Generators.Netlink;

public sealed partial class NetlinkStructGenerator
{
    /// <summary>Turns attributed declarations into symbol-free specs plus diagnostics.</summary>
    private static class Parser
    {
        // Mirrors NetlinkEncoding in AzureCni.Netlink.Generation.
        private const int EncodingNative = 0;
        private const int EncodingString = 1;
        private const int EncodingBigEndian = 2;
        private const int EncodingNestedWithFlag = 3;

        public static ParseResult<NetlinkStructSpec> ParseStruct(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();
            NetlinkTypeSpec? type = ParseType(symbol, context.TargetNode, diagnostics);

            var fields = new List<NetlinkFieldSpec>();
            int offset = 0, maxAlignment = 1;
            foreach (IFieldSymbol field in InstanceFields(symbol))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // An integer is aligned to its size; a byte array (char mac[6], struct in6_addr) to 1.
                int size = IntegerSize(field.Type);
                int alignment = size;
                string typeName = field.Type.ToDisplayString();
                if (size == 0 && ByteArrayLength(field.Type) is int length and > 0)
                {
                    (size, alignment, typeName) = (length, 1, FullyQualified(field.Type));
                }

                if (size == 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.UnsupportedStructField, field.Locations.FirstOrDefault(),
                        field.Name, symbol.Name, field.Type.ToDisplayString()));
                    continue;
                }

                // C lays each member at the next multiple of its own alignment (an integer's size).
                offset = AlignUp(offset, alignment);
                fields.Add(new NetlinkFieldSpec(field.Name, typeName, offset, size));
                offset += size;
                if (alignment > maxAlignment)
                    maxAlignment = alignment;
            }

            if (fields.Count == 0 && diagnostics.Count == 0)
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.EmptyStruct, symbol.Locations.FirstOrDefault(), symbol.Name));

            NetlinkStructSpec? spec = type is null || diagnostics.Count > 0
                ? null
                : new NetlinkStructSpec(type, AlignUp(offset, maxAlignment), fields.ToEquatableArray());
            return new ParseResult<NetlinkStructSpec>(spec, diagnostics.ToEquatableArray());
        }

        public static ParseResult<NetlinkAttributeSetSpec> ParseAttributeSet(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();
            NetlinkTypeSpec? type = ParseType(symbol, context.TargetNode, diagnostics);

            var attributes = new List<NetlinkAttributeSpec>();
            var byType = new Dictionary<string, string>();
            bool needsRefStruct = false;
            foreach (IFieldSymbol field in InstanceFields(symbol))
            {
                cancellationToken.ThrowIfCancellationRequested();
                AttributeData? marker = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == AttributeAttributeName);
                if (marker is null)
                    continue;
                Location? location = field.Locations.FirstOrDefault();

                if (!TryGetAttributeType(marker, out int attributeType, out string constantName))
                {
                    diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.InvalidAttributeType, location, field.Name));
                    continue;
                }

                int encoding = EncodingNative;
                string forKind = string.Empty;
                bool selectsKind = false;
                foreach (KeyValuePair<string, TypedConstant> named in marker.NamedArguments)
                {
                    if (named.Key == "Encoding" && named.Value.Value is int value)
                        encoding = value;
                    else if (named.Key == "ForKind" && named.Value.Value is string kind)
                        forKind = kind;
                    else if (named.Key == "SelectsKind" && named.Value.Value is bool selects)
                        selectsKind = selects;
                }

                NetlinkAttributeSpec? attribute = ClassifyAttribute(field, attributeType, constantName, encoding);
                if (attribute is not null)
                    attribute = attribute with { ForKind = forKind, SelectsKind = selectsKind };
                if (attribute is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.UnsupportedAttributeField, location,
                        field.Name, symbol.Name, field.Type.ToDisplayString(), EncodingName(encoding)));
                    continue;
                }

                if (!IsValidKindUse(attribute))
                {
                    diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.InvalidKindData, location, field.Name, symbol.Name));
                    continue;
                }

                // Kind-specific fields share their attribute type with each other, one per kind.
                string number = attributeType.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string key = number + "/" + attribute.ForKind;
                string? other = byType.TryGetValue(key, out string? same) ? same
                    : attribute.ForKind.Length == 0 ? byType.FirstOrDefault(p => p.Key.StartsWith(number + "/", System.StringComparison.Ordinal)).Value
                    : byType.TryGetValue(number + "/", out string? plain) ? plain : null;
                if (other is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.DuplicateAttributeType, location,
                        attributeType.ToString(System.Globalization.CultureInfo.InvariantCulture), other, field.Name, symbol.Name));
                    continue;
                }

                byType.Add(key, field.Name);
                needsRefStruct |= attribute.Kind is NetlinkAttributeKind.Bytes or NetlinkAttributeKind.String
                    or NetlinkAttributeKind.Nested or NetlinkAttributeKind.Message;
                attributes.Add(attribute);
            }

            if (!HasOneSelectorIfKindData(attributes))
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.InvalidKindData, symbol.Locations.FirstOrDefault(), "SelectsKind", symbol.Name));

            if (needsRefStruct && !symbol.IsRefLikeType)
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.SpanFieldNeedsRefStruct, symbol.Locations.FirstOrDefault(), symbol.Name));

            NetlinkAttributeSetSpec? spec = type is null || diagnostics.Count > 0
                ? null
                : new NetlinkAttributeSetSpec(type, attributes.ToEquatableArray());
            return new ParseResult<NetlinkAttributeSetSpec>(spec, diagnostics.ToEquatableArray());
        }

        public static ParseResult<NetlinkMessageSpec> ParseMessage(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();
            NetlinkTypeSpec? type = ParseType(symbol, context.TargetNode, diagnostics);
            cancellationToken.ThrowIfCancellationRequested();

            AttributeData marker = context.Attributes[0];
            var header = marker.ConstructorArguments.Length > 0 ? marker.ConstructorArguments[0].Value as INamedTypeSymbol : null;
            var attributes = marker.ConstructorArguments.Length > 1 ? marker.ConstructorArguments[1].Value as INamedTypeSymbol : null;
            Location? location = symbol.Locations.FirstOrDefault();
            if (header is null || !HasAttribute(header, StructAttributeName))
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.InvalidMessageParts, location, symbol.Name, header?.Name ?? "?"));
            if (attributes is null || !HasAttribute(attributes, AttributeSetAttributeName))
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.InvalidMessageParts, location, symbol.Name, attributes?.Name ?? "?"));
            if (!symbol.IsRefLikeType)
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.SpanFieldNeedsRefStruct, location, symbol.Name));

            NetlinkMessageSpec? spec = type is null || diagnostics.Count > 0
                ? null
                : new NetlinkMessageSpec(type, FullyQualified(header!), FullyQualified(attributes!));
            return new ParseResult<NetlinkMessageSpec>(spec, diagnostics.ToEquatableArray());
        }

        private static NetlinkTypeSpec? ParseType(INamedTypeSymbol symbol, SyntaxNode node, List<DiagnosticInfo> diagnostics)
        {
            Location? location = symbol.Locations.FirstOrDefault();
            if (node is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.TypeMustBePartial, location, symbol.Name));
                return null;
            }
            if (symbol.ContainingType is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(NetlinkDiagnosticDescriptors.TypeMustBeTopLevel, location, symbol.Name));
                return null;
            }
            string ns = symbol.ContainingNamespace.IsGlobalNamespace ? string.Empty : symbol.ContainingNamespace.ToDisplayString();
            return new NetlinkTypeSpec(ns, symbol.Name, symbol.IsRefLikeType);
        }

        private static bool IsValidKindUse(NetlinkAttributeSpec attribute) =>
            (!attribute.SelectsKind || attribute.Kind == NetlinkAttributeKind.String)
            && (attribute.ForKind.Length == 0 || attribute.Kind is NetlinkAttributeKind.Nested or NetlinkAttributeKind.Message);

        private static bool HasOneSelectorIfKindData(List<NetlinkAttributeSpec> attributes)
        {
            int selectors = attributes.Count(a => a.SelectsKind);
            return attributes.Any(a => a.ForKind.Length > 0) ? selectors == 1 : selectors == 0;
        }

        private static NetlinkAttributeSpec? ClassifyAttribute(IFieldSymbol field, int attributeType, string constantName, int encoding)
        {
            ITypeSymbol type = field.Type;
            NetlinkAttributeSpec Make(NetlinkAttributeKind kind, string valueType) =>
                new(field.Name, attributeType, constantName, kind, valueType, encoding == EncodingNestedWithFlag);

            if (type.SpecialType == SpecialType.System_Boolean)
                return encoding == EncodingNative ? Make(NetlinkAttributeKind.Flag, string.Empty) : null;

            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                ITypeSymbol inner = nullable.TypeArguments[0];
                if (IntegerSize(inner) > 0)
                {
                    if (encoding == EncodingNative)
                        return Make(NetlinkAttributeKind.Integer, inner.ToDisplayString());
                    bool unsignedWide = inner.SpecialType is SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
                    return encoding == EncodingBigEndian && unsignedWide ? Make(NetlinkAttributeKind.BigEndianInteger, inner.ToDisplayString()) : null;
                }
                if (HasAttribute(inner, StructAttributeName) && encoding == EncodingNative)
                    return Make(NetlinkAttributeKind.Struct, FullyQualified(inner));
                return null;
            }

            if (type is INamedTypeSymbol { IsGenericType: true } span
                && span.OriginalDefinition.ToDisplayString() == "System.ReadOnlySpan<T>"
                && span.TypeArguments[0].SpecialType == SpecialType.System_Byte)
            {
                return encoding switch
                {
                    EncodingNative => Make(NetlinkAttributeKind.Bytes, string.Empty),
                    EncodingString => Make(NetlinkAttributeKind.String, string.Empty),
                    _ => null,
                };
            }

            if (HasAttribute(type, AttributeSetAttributeName) && encoding is EncodingNative or EncodingNestedWithFlag)
                return Make(NetlinkAttributeKind.Nested, FullyQualified(type));

            // A whole message body nested in an attribute (a veth peer is an ifinfomsg and link attributes).
            if (HasAttribute(type, MessageAttributeName) && encoding == EncodingNative)
                return Make(NetlinkAttributeKind.Message, FullyQualified(type));

            return null;
        }

        private static bool TryGetAttributeType(AttributeData marker, out int attributeType, out string constantName)
        {
            attributeType = 0;
            constantName = string.Empty;
            if (marker.ConstructorArguments.Length != 1)
                return false;
            TypedConstant argument = marker.ConstructorArguments[0];
            switch (argument.Value)
            {
                case byte b: attributeType = b; break;
                case sbyte sb: attributeType = sb; break;
                case ushort us: attributeType = us; break;
                case short s: attributeType = s; break;
                case int i: attributeType = i; break;
                case uint ui when ui <= int.MaxValue: attributeType = (int)ui; break;
                default: return false;
            }

            if (argument.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
            {
                constantName = enumType.GetMembers().OfType<IFieldSymbol>()
                    .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, argument.Value))?.Name ?? string.Empty;
            }

            // The top two bits of nla_type are NLA_F_NESTED and NLA_F_NET_BYTEORDER.
            return attributeType is >= 1 and <= 0x3FFF;
        }

        private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol symbol) =>
            symbol.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared);

        private static int IntegerSize(ITypeSymbol type) => type.SpecialType switch
        {
            SpecialType.System_Byte or SpecialType.System_SByte => 1,
            SpecialType.System_UInt16 or SpecialType.System_Int16 => 2,
            SpecialType.System_UInt32 or SpecialType.System_Int32 => 4,
            SpecialType.System_UInt64 or SpecialType.System_Int64 => 8,
            _ => 0,
        };

        /// <summary>N for a struct marked <c>[InlineArray(N)]</c> whose one element is a byte; 0 otherwise.</summary>
        private static int ByteArrayLength(ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } named)
                return 0;
            AttributeData? inline = named.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InlineArrayAttribute");
            if (inline is null || inline.ConstructorArguments.Length != 1 || inline.ConstructorArguments[0].Value is not int length)
                return 0;
            var elements = InstanceFields(named).ToList();
            return elements.Count == 1 && elements[0].Type.SpecialType == SpecialType.System_Byte ? length : 0;
        }

        private static bool HasAttribute(ITypeSymbol type, string metadataName) =>
            type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

        private static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        private static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

        private static string EncodingName(int encoding) => encoding switch
        {
            EncodingNative => "Native",
            EncodingString => "String",
            EncodingBigEndian => "BigEndian",
            EncodingNestedWithFlag => "NestedWithFlag",
            _ => encoding.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
