using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AzureCni.Generators.Common;
using AzureCni.Generators.Json.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AzureCni.Generators.Json;

public sealed partial class CniJsonGenerator
{
    /// <summary>Turns one attributed type symbol into a <see cref="ParseResult<JsonObjectSpec>"/>; no symbol escapes.</summary>
    private static class Parser
    {
        private const string JsonNamespace = "AzureCni.Json";
        private const string JsonNameAttribute = "JsonNameAttribute";
        private const string JsonIgnoreAttribute = "JsonIgnoreAttribute";
        private const string JsonUnknownFieldsAttribute = "JsonUnknownFieldsAttribute";
        private const string CniJsonObjectAttribute = "CniJsonObjectAttribute";
        private const string CniJsonObjectInterface = "ICniJsonObject";

        private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static ParseResult<JsonObjectSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            JsonObjectSpec? spec = ParseType(type, syntax, diagnostics, cancellationToken);
            return new ParseResult<JsonObjectSpec>(spec, diagnostics.ToEquatableArray());
        }

        private static JsonObjectSpec? ParseType(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            Location location = syntax.Identifier.GetLocation();
            string displayName = type.ToDisplayString();

            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, location, displayName));
                return null;
            }

            var containing = new List<ContainingTypeSpec>();
            for (INamedTypeSymbol? outer = type; outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericTypeNotSupported, location, displayName));
                    return null;
                }
                if (!SymbolEqualityComparer.Default.Equals(outer, type))
                {
                    if (!IsPartialEverywhere(outer, cancellationToken))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, displayName, outer.ToDisplayString()));
                        return null;
                    }
                    containing.Insert(0, new ContainingTypeSpec(outer.Name, DeclarationKeywords(outer)));
                }
            }

            if (type.TypeKind == TypeKind.Class && !type.InstanceConstructors.Any(c => c.Parameters.Length == 0))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoParameterlessConstructor, location, displayName));
                return null;
            }

            ReportAttributesOnNonMembers(type, diagnostics);

            var properties = new List<JsonPropertySpec>();
            var propertyLocations = new Dictionary<string, string>(System.StringComparer.Ordinal); // JSON name -> property
            UnknownFieldsSpec? unknownFields = null;

            foreach (IPropertySymbol property in JsonCandidateProperties(type))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Location? propertyLocation = property.Locations.FirstOrDefault();

                if (HasAttribute(property, JsonIgnoreAttribute))
                    continue;

                if (HasAttribute(property, JsonUnknownFieldsAttribute))
                {
                    if (!IsJsonType(property.Type, "JsonFieldBag"))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownFieldsNotFieldBag, propertyLocation, type.Name, property.Name, property.Type.ToDisplayString()));
                        continue;
                    }
                    if (unknownFields is not null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleUnknownFields, propertyLocation, displayName, unknownFields.PropertyName, property.Name));
                        continue;
                    }
                    unknownFields = new UnknownFieldsSpec(
                        property.Name,
                        IsNullable: property.NullableAnnotation != NullableAnnotation.NotAnnotated,
                        IsRequired: property.IsRequired,
                        IsInitOnly: property.SetMethod!.IsInitOnly,
                        DeclaringType: property.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
                    continue;
                }

                string? jsonName = ExplicitJsonName(property);
                if (jsonName is not null && jsonName.Length == 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJsonName, propertyLocation, type.Name, property.Name));
                    continue;
                }
                jsonName ??= ToCamelCase(property.Name);

                JsonTypeRef? typeRef = Classify(property.Type);
                if (typeRef is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMemberType, propertyLocation, type.Name, property.Name, property.Type.ToDisplayString()));
                    continue;
                }

                if (propertyLocations.TryGetValue(jsonName, out string? previous))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateJsonName, propertyLocation, jsonName, type.Name, property.Name, previous));
                    continue;
                }
                propertyLocations.Add(jsonName, property.Name);

                properties.Add(new JsonPropertySpec(
                    property.Name,
                    jsonName,
                    typeRef,
                    property.IsRequired,
                    property.SetMethod!.IsInitOnly,
                    property.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
            }

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            string nestedName = string.Join(".", containing.Select(c => c.Name).Concat(new[] { type.Name }));

            return new JsonObjectSpec
            {
                Namespace = ns,
                Name = type.Name,
                FullyQualifiedName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                DeclarationKeywords = DeclarationKeywords(type),
                IsValueType = type.IsValueType,
                ContainingTypes = containing.ToEquatableArray(),
                Properties = properties.ToEquatableArray(),
                UnknownFields = unknownFields,
                HidesBaseMembers = HasJsonObjectBase(type),
                HintName = (ns.Length == 0 ? nestedName : ns + "." + nestedName) + ".CniJson.g.cs",
            };
        }

        // [JsonName]/[JsonUnknownFields] on a property the generator skips would be silently ignored
        // (a get-only bag would drop every unknown field), so it is an error.
        private static void ReportAttributesOnNonMembers(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is not IPropertySymbol property || IsJsonMemberCandidate(property))
                    continue;
                foreach (string attribute in new[] { JsonUnknownFieldsAttribute, JsonNameAttribute })
                {
                    if (HasAttribute(property, attribute))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AttributeOnNonMember, property.Locations.FirstOrDefault(),
                            type.Name, property.Name, attribute.Substring(0, attribute.Length - "Attribute".Length)));
                    }
                }
            }
        }

        private static bool IsJsonMemberCandidate(IPropertySymbol property)
            => !property.IsStatic && !property.IsIndexer
                && property.DeclaredAccessibility == Accessibility.Public
                && property.GetMethod is { DeclaredAccessibility: Accessibility.Public }
                && property.SetMethod is { DeclaredAccessibility: Accessibility.Public };

        // Public instance properties with a public getter and a public setter or init accessor, base
        // types first; a property redeclared in a derived type (override or new) is taken once, from the derived type.
        private static IEnumerable<IPropertySymbol> JsonCandidateProperties(INamedTypeSymbol type)
        {
            var chain = new List<INamedTypeSymbol>();
            for (INamedTypeSymbol? t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
                chain.Add(t);

            var taken = new HashSet<string>(System.StringComparer.Ordinal);
            var perType = new List<List<IPropertySymbol>>();
            foreach (INamedTypeSymbol t in chain)
            {
                var own = new List<IPropertySymbol>();
                foreach (ISymbol member in t.GetMembers())
                {
                    if (member is not IPropertySymbol property || !IsJsonMemberCandidate(property))
                        continue;
                    if (taken.Add(property.Name))
                        own.Add(property);
                }
                perType.Add(own);
            }

            for (int i = perType.Count - 1; i >= 0; i--)
            {
                foreach (IPropertySymbol property in perType[i])
                    yield return property;
            }
        }

        private static JsonTypeRef? Classify(ITypeSymbol type)
        {
            bool nullable;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableType)
            {
                type = nullableType.TypeArguments[0];
                nullable = true;
            }
            else
            {
                // Oblivious reference types count as nullable: null is possible, so it is handled.
                nullable = !type.IsValueType && type.NullableAnnotation != NullableAnnotation.NotAnnotated;
            }

            string name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_typeFormat);
            JsonTypeKind? simple = type.SpecialType switch
            {
                SpecialType.System_String => JsonTypeKind.String,
                SpecialType.System_Boolean => JsonTypeKind.Boolean,
                SpecialType.System_SByte => JsonTypeKind.SByte,
                SpecialType.System_Byte => JsonTypeKind.Byte,
                SpecialType.System_Int16 => JsonTypeKind.Int16,
                SpecialType.System_UInt16 => JsonTypeKind.UInt16,
                SpecialType.System_Int32 => JsonTypeKind.Int32,
                SpecialType.System_UInt32 => JsonTypeKind.UInt32,
                SpecialType.System_Int64 => JsonTypeKind.Int64,
                SpecialType.System_UInt64 => JsonTypeKind.UInt64,
                SpecialType.System_Double => JsonTypeKind.Double,
                _ => null,
            };
            if (simple is not null)
                return new JsonTypeRef(simple.Value, name, type.IsValueType, nullable, null);

            if (IsJsonType(type, "RawJson"))
                return new JsonTypeRef(JsonTypeKind.RawJson, name, true, nullable, null);
            if (IsJsonType(type, "JsonFieldBag"))
                return new JsonTypeRef(JsonTypeKind.FieldBag, name, false, nullable, null);

            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                JsonTypeRef? element = Classify(array.ElementType);
                return element is null ? null : new JsonTypeRef(JsonTypeKind.Array, element.Declaration + "[]", false, nullable, element);
            }

            if (type is not INamedTypeSymbol named)
                return null;

            if (named.IsGenericType)
            {
                string definition = named.OriginalDefinition.ToDisplayString();
                if (definition == "System.Collections.Generic.List<T>")
                {
                    JsonTypeRef? element = Classify(named.TypeArguments[0]);
                    return element is null ? null : new JsonTypeRef(JsonTypeKind.List, "global::System.Collections.Generic.List<" + element.Declaration + ">", false, nullable, element);
                }
                if (definition == "System.Collections.Generic.Dictionary<TKey, TValue>" && named.TypeArguments[0].SpecialType == SpecialType.System_String)
                {
                    JsonTypeRef? element = Classify(named.TypeArguments[1]);
                    return element is null ? null : new JsonTypeRef(JsonTypeKind.Dictionary, "global::System.Collections.Generic.Dictionary<string, " + element.Declaration + ">", false, nullable, element);
                }
                return null;
            }

            if (IsCniJsonObject(named))
                return new JsonTypeRef(JsonTypeKind.Object, name, named.IsValueType, nullable, null);
            return null;
        }

        private static bool HasJsonObjectBase(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
            {
                if (IsCniJsonObject(t))
                    return true;
            }
            return false;
        }

        private static bool IsCniJsonObject(INamedTypeSymbol type)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                return false;
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (IsJsonType(attribute.AttributeClass, CniJsonObjectAttribute))
                    return true;
            }
            foreach (INamedTypeSymbol implemented in type.AllInterfaces)
            {
                if (implemented.Name == CniJsonObjectInterface && implemented.TypeArguments.Length == 1
                    && IsInJsonNamespace(implemented) && SymbolEqualityComparer.Default.Equals(implemented.TypeArguments[0], type))
                    return true;
            }
            return false;
        }

        private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    return false;
            }
            return type.DeclaringSyntaxReferences.Length > 0;
        }

        private static string DeclarationKeywords(INamedTypeSymbol type)
        {
            string modifiers = string.Empty;
            if (type.IsStatic)
                modifiers += "static ";
            if (type.IsValueType && type.IsReadOnly)
                modifiers += "readonly ";
            if (type.IsRefLikeType)
                modifiers += "ref ";
            string keyword = type.IsRecord
                ? (type.IsValueType ? "record struct" : "record")
                : type.TypeKind switch
                {
                    TypeKind.Struct => "struct",
                    TypeKind.Interface => "interface",
                    _ => "class",
                };
            return modifiers + "partial " + keyword;
        }

        private static string? ExplicitJsonName(IPropertySymbol property)
        {
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (IsJsonType(attribute.AttributeClass, JsonNameAttribute) && attribute.ConstructorArguments.Length == 1)
                    return attribute.ConstructorArguments[0].Value as string ?? string.Empty;
            }
            return null;
        }

        private static bool HasAttribute(IPropertySymbol property, string attributeName)
        {
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (IsJsonType(attribute.AttributeClass, attributeName))
                    return true;
            }
            return false;
        }

        private static bool IsJsonType(ITypeSymbol? type, string name)
            => type is not null && type.Name == name && type.ContainingType is null && IsInJsonNamespace(type);

        private static bool IsInJsonNamespace(ITypeSymbol type)
            => type.ContainingNamespace is { Name: "Json", ContainingNamespace: { Name: "AzureCni", ContainingNamespace.IsGlobalNamespace: true } };

        // The same rule as System.Text.Json's camelCase policy: lower the leading run of capitals,
        // keeping the last one when a lower-case letter follows ("IPAddress" -> "ipAddress", "MTU" -> "mtu").
        internal static string ToCamelCase(string name)
        {
            if (name.Length == 0 || !char.IsUpper(name[0]))
                return name;

            char[] chars = name.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (i == 1 && !char.IsUpper(chars[i]))
                    break;
                bool hasNext = i + 1 < chars.Length;
                if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
                    break;
                chars[i] = char.ToLowerInvariant(chars[i]);
            }
            return new string(chars);
        }
    }
}
