using System.Globalization;
using System.Text;

namespace AzureCni.Ipam.Sources;

/// <summary>An element of a <see cref="MiniXml"/> document: name, attributes and child elements (text is dropped).</summary>
public sealed class MiniXmlElement(string name)
{
    public string Name { get; } = name;

    public List<KeyValuePair<string, string>> Attributes { get; } = [];

    public List<MiniXmlElement> Children { get; } = [];

    public string? Attribute(string name)
    {
        foreach (var pair in Attributes)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal))
                return pair.Value;
        }

        return null;
    }
}

/// <summary>
/// A small, strict XML reader for the wireserver's attribute-only documents. It accepts the XML
/// declaration, comments, elements, attributes and the five predefined and numeric character
/// references; it rejects DTDs, CDATA, mismatched or unclosed tags and anything after the root.
/// Every error names the byte offset.
/// </summary>
public static class MiniXml
{
    private const int MaxDepth = 32;

    public static MiniXmlElement Parse(ReadOnlySpan<byte> xml)
    {
        int pos = 0;
        if (xml.StartsWith("\xEF\xBB\xBF"u8))
            pos = 3;

        SkipMisc(xml, ref pos);
        if (pos >= xml.Length || xml[pos] != (byte)'<')
            throw Error("expected the root element", pos);

        var root = ParseElement(xml, ref pos, 0);
        SkipMisc(xml, ref pos);
        if (pos != xml.Length)
            throw Error("content after the root element", pos);

        return root;
    }

    // Whitespace, comments and processing instructions (including <?xml ...?>).
    private static void SkipMisc(ReadOnlySpan<byte> xml, ref int pos)
    {
        while (true)
        {
            SkipWhitespace(xml, ref pos);
            if (xml[pos..].StartsWith("<?"u8))
            {
                int end = xml[pos..].IndexOf("?>"u8);
                if (end < 0)
                    throw Error("unterminated processing instruction", pos);

                pos += end + 2;
            }
            else if (xml[pos..].StartsWith("<!--"u8))
            {
                int end = xml[(pos + 4)..].IndexOf("-->"u8);
                if (end < 0)
                    throw Error("unterminated comment", pos);

                pos += 4 + end + 3;
            }
            else if (xml[pos..].StartsWith("<!"u8))
                throw Error("DTDs and CDATA are not accepted", pos);
            else
                return;
        }
    }

    private static MiniXmlElement ParseElement(ReadOnlySpan<byte> xml, ref int pos, int depth)
    {
        if (depth > MaxDepth)
            throw Error("elements nested too deeply", pos);

        pos++; // '<'
        var element = new MiniXmlElement(ReadName(xml, ref pos));
        while (true)
        {
            bool sawSpace = SkipWhitespace(xml, ref pos);
            if (pos >= xml.Length)
                throw Error($"unterminated start tag <{element.Name}>", pos);

            if (xml[pos..].StartsWith("/>"u8))
            {
                pos += 2;
                return element;
            }

            if (xml[pos] == (byte)'>')
            {
                pos++;
                break;
            }

            if (!sawSpace)
                throw Error("expected whitespace before an attribute", pos);

            string name = ReadName(xml, ref pos);
            SkipWhitespace(xml, ref pos);
            if (pos >= xml.Length || xml[pos] != (byte)'=')
                throw Error($"expected '=' after attribute {name}", pos);

            pos++;
            SkipWhitespace(xml, ref pos);
            if (pos >= xml.Length || (xml[pos] != (byte)'"' && xml[pos] != (byte)'\''))
                throw Error($"expected a quoted value for attribute {name}", pos);

            byte quote = xml[pos++];
            int end = xml[pos..].IndexOf(quote);
            if (end < 0)
                throw Error($"unterminated value of attribute {name}", pos);

            string value = Decode(xml.Slice(pos, end), pos);
            pos += end + 1;
            if (element.Attribute(name) is not null)
                throw Error($"duplicate attribute {name}", pos);

            element.Attributes.Add(new(name, value));
        }

        // Content: child elements, comments and (ignored) text, up to the matching end tag.
        while (true)
        {
            int lt = xml[pos..].IndexOf((byte)'<');
            if (lt < 0)
                throw Error($"element <{element.Name}> is not closed", pos);

            pos += lt;
            if (xml[pos..].StartsWith("</"u8))
            {
                pos += 2;
                string closing = ReadName(xml, ref pos);
                SkipWhitespace(xml, ref pos);
                if (!string.Equals(closing, element.Name, StringComparison.Ordinal) || pos >= xml.Length || xml[pos] != (byte)'>')
                    throw Error($"expected </{element.Name}>, found </{closing}", pos);

                pos++;
                return element;
            }

            if (xml[pos..].StartsWith("<!--"u8) || xml[pos..].StartsWith("<?"u8))
            {
                SkipMisc(xml, ref pos);
                continue;
            }

            if (xml[pos..].StartsWith("<!"u8))
                throw Error("DTDs and CDATA are not accepted", pos);

            element.Children.Add(ParseElement(xml, ref pos, depth + 1));
        }
    }

    private static bool SkipWhitespace(ReadOnlySpan<byte> xml, ref int pos)
    {
        int start = pos;
        while (pos < xml.Length && xml[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            pos++;

        return pos > start;
    }

    private static string ReadName(ReadOnlySpan<byte> xml, ref int pos)
    {
        int start = pos;
        while (pos < xml.Length && IsNameByte(xml[pos], pos == start))
            pos++;

        if (pos == start)
            throw Error("expected a name", pos);

        return Encoding.UTF8.GetString(xml[start..pos]);
    }

    private static bool IsNameByte(byte b, bool first) =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or (byte)'_' or (byte)':' or >= 0x80
        || (!first && b is >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.');

    private static string Decode(ReadOnlySpan<byte> raw, int offset)
    {
        if (raw.IndexOf((byte)'<') >= 0)
            throw Error("'<' in an attribute value", offset);

        if (raw.IndexOf((byte)'&') < 0)
            return Encoding.UTF8.GetString(raw);

        var text = new StringBuilder(raw.Length);
        while (raw.Length > 0)
        {
            int amp = raw.IndexOf((byte)'&');
            if (amp < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw));
                break;
            }

            text.Append(Encoding.UTF8.GetString(raw[..amp]));
            int semi = raw[amp..].IndexOf((byte)';');
            if (semi < 0)
                throw Error("unterminated character reference", offset + amp);

            string entity = Encoding.ASCII.GetString(raw.Slice(amp + 1, semi - 1));
            text.Append(entity switch
            {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                _ when entity.StartsWith("#x", StringComparison.Ordinal)
                    && int.TryParse(entity.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int hex) && hex is > 0 and <= 0x10FFFF
                    => char.ConvertFromUtf32(hex),
                _ when entity.StartsWith('#')
                    && int.TryParse(entity.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int dec) && dec is > 0 and <= 0x10FFFF
                    => char.ConvertFromUtf32(dec),
                _ => throw Error($"unknown entity &{entity};", offset + amp),
            });
            raw = raw[(amp + semi + 1)..];
        }

        return text.ToString();
    }

    private static FormatException Error(string message, int offset) =>
        new($"XML: {message} at byte {offset.ToString(CultureInfo.InvariantCulture)}");
}
