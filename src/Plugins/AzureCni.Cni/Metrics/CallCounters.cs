using System.Globalization;
using System.Text;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// The counters of one plugin's metrics file: calls by command and outcome, and a latency histogram per command.
/// The file is its own store: each call parses the previous file, adds itself and writes the whole file again, so
/// the series it reads back are exactly the ones it wrote (<see cref="Parse"/> reads only those).
/// </summary>
public sealed class CallCounters
{
    /// <summary>Upper bounds of the duration buckets, in seconds (CNI commands take milliseconds to seconds).</summary>
    public static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public const string CallsName = "azure_cni_calls_total";
    public const string DurationName = "azure_cni_call_duration_seconds";

    // Ordinal comparers throughout: the default string comparer is culture-aware, and its first use costs a
    // short-lived process far more than the whole file update.
    private readonly SortedDictionary<(string Command, int Code), long> _calls = new(CallKeyComparer.Instance);
    private readonly SortedDictionary<string, Histogram> _durations = new(StringComparer.Ordinal);

    private sealed class CallKeyComparer : IComparer<(string Command, int Code)>
    {
        public static readonly CallKeyComparer Instance = new();

        public int Compare((string Command, int Code) x, (string Command, int Code) y)
        {
            int byCommand = string.CompareOrdinal(x.Command, y.Command);
            return byCommand != 0 ? byCommand : x.Code.CompareTo(y.Code);
        }
    }

    private sealed class Histogram
    {
        public long[] Buckets { get; } = new long[Bounds.Length];
        public double Sum { get; set; }
        public long Count { get; set; }
    }

    public void Record(string command, int code, double seconds)
    {
        _calls[(command, code)] = _calls.GetValueOrDefault((command, code)) + 1;
        var histogram = Histo(command);
        for (int i = 0; i < Bounds.Length; i++)
        {
            if (seconds <= Bounds[i])
                histogram.Buckets[i]++;
        }

        histogram.Sum += seconds;
        histogram.Count++;
    }

    private Histogram Histo(string command)
    {
        if (!_durations.TryGetValue(command, out var histogram))
            _durations[command] = histogram = new Histogram();
        return histogram;
    }

    /// <summary>The counters of a file this class wrote; anything else in it is ignored.</summary>
    public static CallCounters Parse(string text)
    {
        var counters = new CallCounters();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            int space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                continue;
            string series = line[..space];
            string? command = Label(series, "command");
            if (command is null)
                continue;
            if (series.StartsWith(CallsName + "{", StringComparison.Ordinal) && int.TryParse(Label(series, "code"), CultureInfo.InvariantCulture, out int code))
                counters._calls[(command, code)] = (long)value;
            else if (series.StartsWith(DurationName + "_bucket{", StringComparison.Ordinal))
            {
                int index = Array.FindIndex(Bounds, b => Format(b) == Label(series, "le"));
                if (index >= 0)
                    counters.Histo(command).Buckets[index] = (long)value;
            }
            else if (series.StartsWith(DurationName + "_sum{", StringComparison.Ordinal))
                counters.Histo(command).Sum = value;
            else if (series.StartsWith(DurationName + "_count{", StringComparison.Ordinal))
                counters.Histo(command).Count = (long)value;
        }

        return counters;
    }

    public void WriteTo(StringBuilder output, string plugin)
    {
        output.Append("# HELP ").Append(CallsName).Append(" CNI commands run, by command and outcome (code 0: success, else the CNI error code).\n")
            .Append("# TYPE ").Append(CallsName).Append(" counter\n");
        foreach (var ((command, code), count) in _calls)
        {
            output.Append(CultureInfo.InvariantCulture, $"{CallsName}{{plugin=\"{plugin}\",command=\"{command}\",code=\"{code}\"}} {count}\n");
        }

        output.Append("# HELP ").Append(DurationName).Append(" Duration of CNI commands, by command.\n")
            .Append("# TYPE ").Append(DurationName).Append(" histogram\n");
        foreach (var (command, histogram) in _durations)
        {
            string labels = $"plugin=\"{plugin}\",command=\"{command}\"";
            for (int i = 0; i < Bounds.Length; i++)
                output.Append(CultureInfo.InvariantCulture, $"{DurationName}_bucket{{{labels},le=\"{Format(Bounds[i])}\"}} {histogram.Buckets[i]}\n");
            output.Append(CultureInfo.InvariantCulture, $"{DurationName}_bucket{{{labels},le=\"+Inf\"}} {histogram.Count}\n");
            output.Append(CultureInfo.InvariantCulture, $"{DurationName}_sum{{{labels}}} {histogram.Sum.ToString("R", CultureInfo.InvariantCulture)}\n");
            output.Append(CultureInfo.InvariantCulture, $"{DurationName}_count{{{labels}}} {histogram.Count}\n");
        }
    }

    private static string Format(double bound) => bound.ToString("R", CultureInfo.InvariantCulture);

    // Our own label values never hold a quote or a backslash (command names, codes, bounds).
    private static string? Label(string series, string name)
    {
        string key = name + "=\"";
        int start = series.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
            return null;
        start += key.Length;
        int end = series.IndexOf('"', start);
        return end < 0 ? null : series[start..end];
    }
}
