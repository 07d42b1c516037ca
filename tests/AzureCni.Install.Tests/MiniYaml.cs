using System.Globalization;

namespace AzureCni.Install.Tests;

/// <summary>
/// The block-style YAML subset the manifests are written in: nested maps, lists (of maps or scalars), plain or
/// quoted scalars, "[]" and "{}", full-line comments. Anything else (flow collections, anchors, block scalars,
/// several documents) throws, so the manifest cannot drift into YAML this check does not understand.
/// </summary>
internal static class MiniYaml
{
    private readonly record struct Line(int Number, int Indent, string Text);

    public static Dictionary<string, object?> Parse(string text)
    {
        var lines = new List<Line>();
        int number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            string trimmed = raw.TrimEnd('\r', ' ');
            string content = trimmed.TrimStart(' ');
            if (content.Length == 0 || content.StartsWith('#'))
            {
                continue;
            }

            if (content == "---" || content.StartsWith('\t') || content.Contains('&') || content.Contains(" |") || content.Contains(" >"))
            {
                throw new FormatException($"line {number}: outside the supported YAML subset: {content}");
            }

            lines.Add(new Line(number, trimmed.Length - content.Length, content));
        }

        int index = 0;
        var root = ParseBlock(lines, ref index, 0);
        if (index != lines.Count)
        {
            throw new FormatException($"line {lines[index].Number}: unexpected indentation");
        }

        return root as Dictionary<string, object?> ?? throw new FormatException("the document is not a map");
    }

    private static object ParseBlock(List<Line> lines, ref int index, int indent)
    {
        return lines[index].Text.StartsWith("- ", StringComparison.Ordinal) || lines[index].Text == "-"
            ? ParseList(lines, ref index, indent)
            : ParseMap(lines, ref index, indent, null);
    }

    private static List<object?> ParseList(List<Line> lines, ref int index, int indent)
    {
        var list = new List<object?>();
        while (index < lines.Count && lines[index].Indent == indent && lines[index].Text.StartsWith("- ", StringComparison.Ordinal))
        {
            var line = lines[index];
            string item = line.Text[2..].TrimStart();
            int itemIndent = indent + (line.Text.Length - item.Length);
            if (SplitKey(item, out _, out _))
            {
                // "- key: value" opens a map whose keys sit at the item's indent.
                lines[index] = line with { Indent = itemIndent, Text = item };
                list.Add(ParseMap(lines, ref index, itemIndent, null));
            }
            else
            {
                list.Add(Scalar(item, line.Number));
                index++;
            }
        }

        return list;
    }

    private static Dictionary<string, object?> ParseMap(List<Line> lines, ref int index, int indent, Dictionary<string, object?>? map)
    {
        map ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        while (index < lines.Count && lines[index].Indent == indent && !lines[index].Text.StartsWith("- ", StringComparison.Ordinal))
        {
            var line = lines[index];
            if (!SplitKey(line.Text, out string key, out string value))
            {
                throw new FormatException($"line {line.Number}: expected 'key: value': {line.Text}");
            }

            if (map.ContainsKey(key))
            {
                throw new FormatException($"line {line.Number}: duplicate key {key}");
            }

            index++;
            if (value.Length > 0)
            {
                map[key] = Scalar(value, line.Number);
            }
            else if (index < lines.Count
                && (lines[index].Indent > indent || (lines[index].Indent == indent && lines[index].Text.StartsWith("- ", StringComparison.Ordinal))))
            {
                map[key] = ParseBlock(lines, ref index, lines[index].Indent);
            }
            else
            {
                map[key] = null;
            }
        }

        if (index < lines.Count && lines[index].Indent > indent)
        {
            throw new FormatException($"line {lines[index].Number}: unexpected indentation");
        }

        return map;
    }

    private static bool SplitKey(string text, out string key, out string value)
    {
        key = value = "";
        if (text.StartsWith('"') || text.StartsWith('\''))
        {
            return false;
        }

        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 && text.EndsWith(':'))
        {
            colon = text.Length - 1;
        }

        if (colon <= 0)
        {
            return false;
        }

        key = text[..colon];
        value = text[(colon + 1)..].Trim();
        return !key.Contains(' ');
    }

    private static object? Scalar(string text, int number)
    {
        int comment = text.IndexOf(" #", StringComparison.Ordinal);
        if (comment >= 0 && !text.StartsWith('"'))
        {
            text = text[..comment].TrimEnd();
        }

        if (text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '\'' && text[^1] == '\'')))
        {
            return text[1..^1];
        }

        return text switch
        {
            "[]" => new List<object?>(),
            "{}" => new Dictionary<string, object?>(StringComparer.Ordinal),
            _ when text.StartsWith('[') || text.StartsWith('{') => throw new FormatException($"line {number}: flow collections are not supported"),
            _ => text.ToString(CultureInfo.InvariantCulture),
        };
    }
}
