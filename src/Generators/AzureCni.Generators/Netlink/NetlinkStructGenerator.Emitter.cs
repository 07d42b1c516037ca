using System.Globalization;
using AzureCni.Generators.Common;
using AzureCni.Generators.Netlink.Model;
using Microsoft.CodeAnalysis.Text;

namespace AzureCni.Generators.Netlink;

public sealed partial class NetlinkStructGenerator
{
    /// <summary>Writes the codec source for each spec; output depends on the spec alone.</summary>
    private static class Emitter
    {
        private const string Span = "global::System.Span<byte>";
        private const string ReadOnlySpan = "global::System.ReadOnlySpan<byte>";
        private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
        private const string Writer = "global::AzureCni.Netlink.Protocol.NetlinkWriter";
        private const string AttributeReader = "global::AzureCni.Netlink.Protocol.NetlinkAttributeReader";
        private const string AttributeValue = "global::AzureCni.Netlink.Protocol.NetlinkAttributeValue";
        private const string DecodeError = "global::AzureCni.Netlink.Protocol.NetlinkDecodeError";
        private const string Align = "global::AzureCni.Netlink.Protocol.NetlinkAlign";
        private const string StructInterface = "global::AzureCni.Netlink.Protocol.INetlinkStruct";
        private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"AzureCni.Generators.Netlink\", \"1.0\")]";

        public static (string, SourceText) EmitStruct(NetlinkStructSpec spec)
        {
            string self = spec.Type.FullyQualifiedName;
            string size = Number(spec.Size);
            SourceWriter writer = Begin(spec.Type, $" : {StructInterface}<{self}>");

            writer.WriteLine($"/// <summary><c>sizeof(struct {spec.Type.Name})</c>, trailing padding included.</summary>");
            writer.WriteLine($"public const int Size = {size};");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc/>");
            writer.WriteLine("public static int EncodedSize => Size;");
            writer.WriteLine();

            writer.WriteLine("/// <summary>Writes the struct into the first <see cref=\"Size\"/> bytes; padding is zeroed.</summary>");
            writer.OpenBlock($"public readonly void Write({Span} destination)");
            writer.WriteLine($"destination = destination.Slice(0, {size});");
            writer.WriteLine("destination.Clear();");
            foreach (NetlinkFieldSpec field in spec.Fields)
                writer.WriteLine($"{MemoryMarshal}.Write(destination.Slice({Number(field.Offset)}), in this.{field.Name});");
            writer.CloseBlock();
            writer.WriteLine();

            writer.WriteLine("/// <summary>Reads the struct from the start of <paramref name=\"source\"/>; false when it is shorter than <see cref=\"Size\"/>.</summary>");
            writer.OpenBlock($"public static bool TryRead({ReadOnlySpan} source, out {self} value)");
            writer.WriteLine("value = default;");
            writer.OpenBlock($"if (source.Length < {size})");
            writer.WriteLine("return false;");
            writer.CloseBlock();
            foreach (NetlinkFieldSpec field in spec.Fields)
                writer.WriteLine($"value.{field.Name} = {MemoryMarshal}.Read<{field.TypeKeyword}>(source.Slice({Number(field.Offset)}));");
            writer.WriteLine("return true;");
            writer.CloseBlock();

            return End(writer, spec.Type);
        }

        public static (string, SourceText) EmitAttributeSet(NetlinkAttributeSetSpec spec)
        {
            string self = spec.Type.FullyQualifiedName;
            SourceWriter writer = Begin(spec.Type);

            // Reader: unknown types are skipped (newer kernels add attributes); a later duplicate wins.
            writer.WriteLine("/// <summary>Decodes the attributes in <paramref name=\"attributes\"/>; false with <paramref name=\"error\"/> set when they are malformed.</summary>");
            writer.OpenBlock($"public static bool TryRead({ReadOnlySpan} attributes, out {self} value, out {DecodeError} error)");
            writer.WriteLine("value = default;");
            writer.WriteLine($"var reader = new {AttributeReader}(attributes);");
            writer.OpenBlock("while (reader.MoveNext())");
            writer.OpenBlock("switch (reader.Type)");
            foreach (NetlinkAttributeSpec attribute in spec.Attributes)
            {
                if (attribute.ForKind.Length > 0 && !IsFirstOfType(spec, attribute))
                    continue;
                writer.WriteLine($"case {Number(attribute.AttributeType)}:{Comment(attribute)}");
                writer.Indentation++;
                if (attribute.ForKind.Length > 0)
                    EmitKindDataRead(writer, spec, attribute.AttributeType);
                else
                    EmitRead(writer, attribute);
                writer.WriteLine("break;");
                writer.Indentation--;
            }
            writer.WriteLine("default:");
            writer.WriteLine("    break;");
            writer.CloseBlock();
            writer.CloseBlock();
            writer.WriteLine("error = reader.Error;");
            writer.WriteLine($"return error == {DecodeError}.None;");
            writer.CloseBlock();
            writer.WriteLine();

            // Static with a scoped by-value set: the spans the set points at may live in a shorter scope than
            // the writer's buffer, which an instance method taking the writer by ref would not allow.
            writer.WriteLine("/// <summary>Appends every present attribute of <paramref name=\"value\"/>, in declaration order.</summary>");
            writer.OpenBlock($"public static void Write({(spec.Type.IsRefStruct ? "scoped" : "in")} {self} value, ref {Writer} writer)");
            int index = 0;
            foreach (NetlinkAttributeSpec attribute in spec.Attributes)
                EmitWrite(writer, spec, attribute, index++);
            writer.CloseBlock();
            writer.WriteLine();

            writer.WriteLine("/// <summary>True when no attribute is present, so writing would emit nothing.</summary>");
            writer.WriteLine("public readonly bool IsEmpty =>");
            writer.Indentation++;
            if (spec.Attributes.Count == 0)
                writer.WriteLine("true;");
            for (int i = 0; i < spec.Attributes.Count; i++)
                writer.WriteLine(AbsentTest(spec.Attributes[i]) + (i == spec.Attributes.Count - 1 ? ";" : " &&"));
            writer.Indentation--;

            return End(writer, spec.Type);
        }

        public static (string, SourceText) EmitMessage(NetlinkMessageSpec spec)
        {
            string self = spec.Type.FullyQualifiedName;
            SourceWriter writer = Begin(spec.Type);
            writer.WriteLine("/// <summary>The fixed header that follows the <c>nlmsghdr</c>.</summary>");
            writer.WriteLine($"public {spec.HeaderType} Header;");
            writer.WriteLine();
            writer.WriteLine("/// <summary>The attributes after the header.</summary>");
            writer.WriteLine($"public {spec.AttributesType} Attributes;");
            writer.WriteLine();

            writer.WriteLine("/// <summary>Decodes a message payload (the bytes after the <c>nlmsghdr</c>).</summary>");
            writer.OpenBlock($"public static bool TryRead({ReadOnlySpan} payload, out {self} message, out {DecodeError} error)");
            writer.WriteLine("message = default;");
            writer.OpenBlock($"if (!{spec.HeaderType}.TryRead(payload, out message.Header))");
            writer.WriteLine($"error = {DecodeError}.Truncated;");
            writer.WriteLine("return false;");
            writer.CloseBlock();
            writer.WriteLine($"int offset = {Align}.Message({spec.HeaderType}.Size);");
            writer.WriteLine($"return {spec.AttributesType}.TryRead(offset < payload.Length ? payload.Slice(offset) : default, out message.Attributes, out error);");
            writer.CloseBlock();
            writer.WriteLine();

            writer.WriteLine("/// <summary>Appends the header and the attributes of <paramref name=\"message\"/> to the open message.</summary>");
            writer.OpenBlock($"public static void Write(scoped {self} message, ref {Writer} writer)");
            writer.WriteLine("writer.WriteStruct(in message.Header);");
            writer.WriteLine($"{spec.AttributesType}.Write(message.Attributes, ref writer);");
            writer.CloseBlock();

            return End(writer, spec.Type);
        }

        private static void EmitRead(SourceWriter writer, NetlinkAttributeSpec attribute)
        {
            if (attribute.Kind is NetlinkAttributeKind.Nested or NetlinkAttributeKind.Message)
            {
                writer.OpenBlock($"if (!{attribute.ValueType}.TryRead(reader.Payload, out value.{attribute.FieldName}, out error))");
                writer.WriteLine("return false;");
                writer.CloseBlock();
                return;
            }
            writer.OpenBlock($"if (!{ReadCall(attribute)}(reader.Payload, out value.{attribute.FieldName}))");
            writer.WriteLine($"error = {DecodeError}.BadAttributeLength;");
            writer.WriteLine("return false;");
            writer.CloseBlock();
        }

        // The kernel writes the kind before its data, so the kind read so far picks the decoder; data of a
        // kind with no field here is skipped like an unknown attribute.
        private static void EmitKindDataRead(SourceWriter writer, NetlinkAttributeSetSpec spec, int attributeType)
        {
            string selector = "value." + Selector(spec).FieldName;
            string keyword = "if";
            foreach (NetlinkAttributeSpec variant in spec.Attributes)
            {
                if (variant.AttributeType != attributeType || variant.ForKind.Length == 0)
                    continue;
                writer.OpenBlock($"{keyword} (global::System.MemoryExtensions.SequenceEqual({selector}, {Utf8(variant.ForKind)}))");
                EmitRead(writer, variant);
                writer.CloseBlock();
                keyword = "else if";
            }
        }

        // An empty selector is filled from the one kind-specific field present, so a request names its data once.
        private static void EmitSelectorWrite(SourceWriter writer, NetlinkAttributeSetSpec spec, NetlinkAttributeSpec selector, string type)
        {
            writer.WriteLine($"{ReadOnlySpan} selected{selector.FieldName} = value.{selector.FieldName};{Comment(selector)}");
            foreach (NetlinkAttributeSpec variant in spec.Attributes)
            {
                if (variant.ForKind.Length > 0)
                    writer.WriteLine($"if (selected{selector.FieldName}.IsEmpty && !{PresentValue("value." + variant.FieldName, variant)}.IsEmpty) selected{selector.FieldName} = {Utf8(variant.ForKind)};");
            }
            writer.WriteLine($"if (!selected{selector.FieldName}.IsEmpty) writer.WriteStringAttribute({type}, selected{selector.FieldName});");
        }

        private static void EmitWrite(SourceWriter writer, NetlinkAttributeSetSpec spec, NetlinkAttributeSpec attribute, int index)
        {
            string type = "(ushort)" + Number(attribute.AttributeType);
            string field = "value." + attribute.FieldName;
            string local = "value" + Number(index);
            if (attribute.SelectsKind)
            {
                EmitSelectorWrite(writer, spec, attribute, type);
                return;
            }

            string? line = attribute.Kind switch
            {
                NetlinkAttributeKind.Integer => $"if ({field} is {{ }} {local}) writer.WriteAttribute({type}, {local});",
                NetlinkAttributeKind.BigEndianInteger => $"if ({field} is {{ }} {local}) writer.WriteAttributeBigEndian({type}, {local});",
                NetlinkAttributeKind.Flag => $"if ({field}) writer.WriteFlagAttribute({type});",
                NetlinkAttributeKind.Bytes => $"if (!{field}.IsEmpty) writer.WriteAttribute({type}, {field});",
                NetlinkAttributeKind.String => $"if (!{field}.IsEmpty) writer.WriteStringAttribute({type}, {field});",
                NetlinkAttributeKind.Struct => $"if ({field} is {{ }} {local}) writer.WriteStructAttribute({type}, in {local});",
                _ => null,
            };
            if (line is not null)
            {
                writer.WriteLine(line + Comment(attribute));
                return;
            }

            // Nested sets and messages.
            string nestedType = attribute.SetsNestedFlag ? $"(ushort)({Number(attribute.AttributeType)} | {Writer}.NestedFlag)" : type;
            writer.OpenBlock($"if (!{PresentValue(field, attribute)}.IsEmpty){Comment(attribute)}");
            writer.OpenBlock($"using (writer.BeginNested({nestedType}))");
            writer.WriteLine($"{attribute.ValueType}.Write({field}, ref writer);");
            writer.CloseBlock();
            writer.CloseBlock();
        }

        private static string ReadCall(NetlinkAttributeSpec attribute) => attribute.Kind switch
        {
            NetlinkAttributeKind.Integer => $"{AttributeValue}.TryReadNative<{attribute.ValueType}>",
            NetlinkAttributeKind.BigEndianInteger => $"{AttributeValue}.TryReadBigEndian",
            NetlinkAttributeKind.Flag => $"{AttributeValue}.TryReadFlag",
            NetlinkAttributeKind.String => $"{AttributeValue}.TryReadString",
            NetlinkAttributeKind.Struct => $"{AttributeValue}.TryReadStruct<{attribute.ValueType}>",
            _ => "global::AzureCni.Netlink.Protocol.NetlinkAttributeValue.TryReadBytes",
        };

        private static string AbsentTest(NetlinkAttributeSpec attribute) => attribute.Kind switch
        {
            NetlinkAttributeKind.Flag => $"!this.{attribute.FieldName}",
            NetlinkAttributeKind.Bytes or NetlinkAttributeKind.String or NetlinkAttributeKind.Nested or NetlinkAttributeKind.Message
                => $"{PresentValue("this." + attribute.FieldName, attribute)}.IsEmpty",
            _ => $"this.{attribute.FieldName} is null",
        };

        // A nested message is present when its attributes are: its header alone says nothing to send.
        private static string PresentValue(string field, NetlinkAttributeSpec attribute) =>
            attribute.Kind == NetlinkAttributeKind.Message ? field + ".Attributes" : field;

        private static bool IsFirstOfType(NetlinkAttributeSetSpec spec, NetlinkAttributeSpec attribute)
        {
            foreach (NetlinkAttributeSpec other in spec.Attributes)
            {
                if (other.AttributeType == attribute.AttributeType)
                    return ReferenceEquals(other, attribute);
            }
            return false;
        }

        private static NetlinkAttributeSpec Selector(NetlinkAttributeSetSpec spec)
        {
            foreach (NetlinkAttributeSpec attribute in spec.Attributes)
            {
                if (attribute.SelectsKind)
                    return attribute;
            }
            throw new System.InvalidOperationException("the parser admits kind data only with a selector");
        }

        // Kind names are ASCII identifiers (veth, vxlan...): a u8 literal needs no escaping beyond quotes.
        private static string Utf8(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"u8";

        // Closes the type's block that Begin opened.
        private static (string, SourceText) End(SourceWriter writer, NetlinkTypeSpec type)
        {
            writer.CloseBlock();
            return (type.HintName, writer.ToSourceText());
        }

        // The file header, namespace and the opened partial declaration (with an optional base list).
        private static SourceWriter Begin(NetlinkTypeSpec type, string baseList = "")
        {
            var writer = new SourceWriter();
            writer.WriteLine("// <auto-generated/>");
            writer.WriteLine("#nullable enable");
            writer.WriteLine("#pragma warning disable CS8981 // kernel structs keep their lower-case kernel spelling");
            writer.WriteLine();
            if (type.Namespace.Length > 0)
            {
                writer.WriteLine($"namespace {type.Namespace};");
                writer.WriteLine();
            }
            writer.WriteLine(GeneratedCode);
            writer.OpenBlock(Declaration(type) + baseList);
            return writer;
        }

        private static string Declaration(NetlinkTypeSpec type) => (type.IsRefStruct ? "ref partial struct " : "partial struct ") + type.Name;

        private static string Comment(NetlinkAttributeSpec attribute) => attribute.ConstantName.Length == 0 ? string.Empty : " // " + attribute.ConstantName;

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
