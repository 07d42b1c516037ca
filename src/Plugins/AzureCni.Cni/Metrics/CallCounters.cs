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

    // The bounds' `le` labels, written as Prometheus clients write them; spelled out because formatting a double
    // per line, when reading and writing every line of the file, was most of a metered call's cost.
    private static readonly string[] BoundLabels = ["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"];

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
        var all = text.AsSpan();
        foreach (var range in all.Split('\n'))
        {
            var line = all[range];
            if (line.Length == 0 || line[0] == '#')
                continue;
            int space = line.LastIndexOf(' ');
            if (space < 0)
                continue;
            var series = line[..space];
            var value = line[(space + 1)..];
            var commandLabel = Label(series, "command=\"");
            if (commandLabel.IsEmpty)
                continue;
            string command = commandLabel.ToString();
            if (series.StartsWith(CallsName + "{", StringComparison.Ordinal))
            {
                if (int.TryParse(Label(series, "code=\""), NumberStyles.Integer, CultureInfo.InvariantCulture, out int code) && TryCount(value, out long count))
                    counters._calls[(command, code)] = count;
            }
            else if (series.StartsWith(DurationName + "_bucket{", StringComparison.Ordinal))
            {
                int index = IndexOfBound(Label(series, "le=\""));
                if (index >= 0 && TryCount(value, out long count))
                    counters.Histo(command).Buckets[index] = count;
            }
            else if (series.StartsWith(DurationName + "_sum{", StringComparison.Ordinal))
            {
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double sum))
                    counters.Histo(command).Sum = sum;
            }
            else if (series.StartsWith(DurationName + "_count{", StringComparison.Ordinal) && TryCount(value, out long total))
                counters.Histo(command).Count = total;
        }

        return counters;
    }

    private static bool TryCount(ReadOnlySpan<char> value, out long count) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out count);

    private static int IndexOfBound(ReadOnlySpan<char> label)
    {
        for (int i = 0; i < BoundLabels.Length; i++)
        {
            if (label.SequenceEqual(BoundLabels[i]))
                return i;
        }

        return -1;
    }

    public void WriteTo(StringBuilder output, string plugin)
    {
        output.Append("# HELP ").Append(CallsName).Append(" CNI commands run, by command and outcome (code 0: success, else the CNI error code).\n")
            .Append("# TYPE ").Append(CallsName).Append(" counter\n");
        foreach (var ((command, code), count) in _calls)
        {
            output.Append(CallsName).Append("{plugin=\"").Append(plugin).Append("\",command=\"").Append(command)
                .Append("\",code=\"").Append(code).Append("\"} ").Append(count).Append('\n');
        }

        output.Append("# HELP ").Append(DurationName).Append(" Duration of CNI commands, by command.\n")
            .Append("# TYPE ").Append(DurationName).Append(" histogram\n");
        foreach (var (command, histogram) in _durations)
        {
            for (int i = 0; i <= BoundLabels.Length; i++)
            {
                Series(output, "_bucket", plugin, command).Append(",le=\"").Append(i < BoundLabels.Length ? BoundLabels[i] : "+Inf")
                    .Append("\"} ").Append(i < BoundLabels.Length ? histogram.Buckets[i] : histogram.Count).Append('\n');
            }

            Series(output, "_sum", plugin, command).Append("} ").Append(histogram.Sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            Series(output, "_count", plugin, command).Append("} ").Append(histogram.Count).Append('\n');
        }
    }

    private static StringBuilder Series(StringBuilder output, string suffix, string plugin, string command) =>
        output.Append(DurationName).Append(suffix).Append("{plugin=\"").Append(plugin).Append("\",command=\"").Append(command).Append('"');

    // Our own label values never hold a quote or a backslash (command names, codes, bounds).
    private static ReadOnlySpan<char> Label(ReadOnlySpan<char> series, string key)
    {
        int start = series.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
            return default;
        var rest = series[(start + key.Length)..];
        int end = rest.IndexOf('"');
        return end < 0 ? default : rest[..end];
    }
}
