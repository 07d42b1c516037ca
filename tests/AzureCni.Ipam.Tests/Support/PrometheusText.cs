using System.Globalization;
using System.Text.RegularExpressions;

namespace AzureCni.Ipam.Tests.Support;

/// <summary>One sample of a parsed exposition: the metric name, its labels and value.</summary>
public sealed record PromSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels[name];
}

/// <summary>
/// A strict parser of the Prometheus text exposition format (0.0.4), as node-exporter's textfile collector reads
/// it: every line a HELP, a TYPE or a sample; a family's TYPE before its samples and at most once; samples of a
/// family contiguous; names and label names valid; label values quoted with only \\, \" and \n escapes; no
/// duplicate series; histograms with increasing cumulative buckets ending in +Inf equal to _count. Throws
/// FormatException naming the line on any violation.
/// </summary>
public static partial class PrometheusText
{
    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static List<PromSample> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
            throw new FormatException("the exposition does not end with a newline");
        var samples = new List<PromSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length - 1; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1} \"{line}\"";
            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length < 3 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE"))
                    throw new FormatException($"{where}: a comment other than HELP or TYPE");
                string family = parts[2];
                if (!MetricName().IsMatch(family))
                    throw new FormatException($"{where}: invalid metric name");
                if (finished.Contains(family))
                    throw new FormatException($"{where}: {family} appears again after other families");
                Switch(family);
                if (parts[1] == "TYPE")
                {
                    if (parts.Length != 4 || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                        throw new FormatException($"{where}: invalid TYPE");
                    if (!types.TryAdd(family, parts[3]))
                        throw new FormatException($"{where}: second TYPE for {family}");
                    if (samples.Exists(s => FamilyOf(s.Name, types) == family))
                        throw new FormatException($"{where}: TYPE after samples of {family}");
                }
                else if (!helps.Add(family))
                    throw new FormatException($"{where}: second HELP for {family}");
                continue;
            }

            if (line.Length == 0)
                throw new FormatException($"{where}: empty line");
            var sample = ParseSample(line, where);
            string familyName = FamilyOf(sample.Name, types);
            if (finished.Contains(familyName))
                throw new FormatException($"{where}: samples of {familyName} are not contiguous");
            Switch(familyName);
            if (types.TryGetValue(familyName, out var type) && type == "counter" && (sample.Value < 0 || !sample.Name.EndsWith("_total", StringComparison.Ordinal)))
                throw new FormatException($"{where}: a counter must be named *_total and be non-negative");
            string key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!series.Add(key))
                throw new FormatException($"{where}: duplicate series {key}");
            samples.Add(sample);
        }

        CheckHistograms(samples, types);
        return samples;

        void Switch(string family)
        {
            if (current is not null && current != family)
                finished.Add(current);
            current = family;
        }
    }

    private static string FamilyOf(string name, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var t) && t is "histogram" or "summary")
                return name[..^suffix.Length];
        }

        return name;
    }

    private static PromSample ParseSample(string line, string where)
    {
        int brace = line.IndexOf('{');
        int space = line.IndexOf(' ');
        string name = brace >= 0 && brace < space ? line[..brace] : line[..Math.Max(space, 0)];
        if (!MetricName().IsMatch(name))
            throw new FormatException($"{where}: invalid metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = name.Length;
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                if (eq < 0)
                    throw new FormatException($"{where}: label without =");
                string labelName = line[i..eq];
                if (!LabelName().IsMatch(labelName) || labelName.StartsWith("__", StringComparison.Ordinal))
                    throw new FormatException($"{where}: invalid label name {labelName}");
                if (line[eq + 1] != '"')
                    throw new FormatException($"{where}: unquoted label value");
                var value = new System.Text.StringBuilder();
                int j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch { '\\' => '\\', '"' => '"', 'n' => '\n', _ => throw new FormatException($"{where}: invalid escape \\{line[j]}") });
                    }
                    else
                        value.Append(line[j]);
                }

                if (!labels.TryAdd(labelName, value.ToString()))
                    throw new FormatException($"{where}: label {labelName} twice");
                i = j + 1;
                if (line[i] == ',')
                    i++;
                else if (line[i] != '}')
                    throw new FormatException($"{where}: expected , or }} after a label");
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
            throw new FormatException($"{where}: no space before the value");
        string[] rest = line[(i + 1)..].Split(' ');
        if (rest.Length > 2 || !TryValue(rest[0], out double number) || (rest.Length == 2 && !long.TryParse(rest[1], CultureInfo.InvariantCulture, out _)))
            throw new FormatException($"{where}: invalid value or timestamp");
        return new PromSample(name, labels, number);
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
            default: return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
        }
    }

    private static void CheckHistograms(List<PromSample> samples, Dictionary<string, string> types)
    {
        foreach (var (family, _) in types.Where(t => t.Value == "histogram"))
        {
            var groups = samples.Where(s => FamilyOf(s.Name, types) == family)
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)));
            foreach (var group in groups)
            {
                var buckets = group.Where(s => s.Name == family + "_bucket").ToList();
                double previousBound = double.NegativeInfinity, previousCount = 0;
                foreach (var bucket in buckets)
                {
                    double bound = bucket.Label("le") == "+Inf" ? double.PositiveInfinity : double.Parse(bucket.Label("le"), CultureInfo.InvariantCulture);
                    if (bound <= previousBound || bucket.Value < previousCount)
                        throw new FormatException($"{family}{{{group.Key}}}: buckets not increasing at le={bucket.Label("le")}");
                    previousBound = bound;
                    previousCount = bucket.Value;
                }

                var count = group.SingleOrDefault(s => s.Name == family + "_count") ?? throw new FormatException($"{family}{{{group.Key}}}: no _count");
                _ = group.SingleOrDefault(s => s.Name == family + "_sum") ?? throw new FormatException($"{family}{{{group.Key}}}: no _sum");
                if (!double.IsPositiveInfinity(previousBound) || previousCount != count.Value)
                    throw new FormatException($"{family}{{{group.Key}}}: the +Inf bucket is missing or differs from _count");
            }
        }
    }
}
