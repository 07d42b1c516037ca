using System.Globalization;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// The counters of one plugin's metrics: calls by command and outcome, and a latency histogram per command. Stored
/// in a <see cref="CountersRecord"/> and rendered as Prometheus text; <see cref="Parse"/> reads them back from a
/// text file only when there is no record (a metrics directory written by an earlier version).
/// </summary>
public sealed class CallCounters
{
    /// <summary>Upper bounds of the duration buckets (CNI commands take milliseconds to seconds), and their `le` labels as Prometheus clients write them.</summary>
    private static readonly long[] BoundNanoseconds =
        [1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000];

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
        public long[] Buckets { get; } = new long[BoundNanoseconds.Length];

        public long SumNanoseconds { get; set; }

        public long Count { get; set; }
    }

    public void Record(string command, int code, TimeSpan duration)
    {
        _calls[(command, code)] = _calls.GetValueOrDefault((command, code)) + 1;
        long nanoseconds = duration.Ticks * 100;
        var histogram = Histo(command);
        for (int i = 0; i < BoundNanoseconds.Length; i++)
        {
            if (nanoseconds <= BoundNanoseconds[i])
                histogram.Buckets[i]++;
        }

        histogram.SumNanoseconds += nanoseconds;
        histogram.Count++;
    }

    private Histogram Histo(string command)
    {
        if (!_durations.TryGetValue(command, out var histogram))
            _durations[command] = histogram = new Histogram();
        return histogram;
    }

    internal void Save(CountersRecord.Writer record)
    {
        record.Count(_calls.Count);
        foreach (var ((command, code), count) in _calls)
            record.Text(command).Int32(code).Int64(count);

        record.Count(_durations.Count);
        foreach (var (command, histogram) in _durations)
        {
            record.Text(command).Int64(histogram.Count).Int64(histogram.SumNanoseconds);
            foreach (long bucket in histogram.Buckets)
                record.Int64(bucket);
        }
    }

    internal void Load(ref CountersRecord.Reader record)
    {
        for (int i = record.Count(); i > 0; i--)
            _calls[(record.Text(), record.Int32())] = record.Int64();

        for (int i = record.Count(); i > 0; i--)
        {
            var histogram = Histo(record.Text());
            histogram.Count = record.Int64();
            histogram.SumNanoseconds = record.Int64();
            for (int b = 0; b < histogram.Buckets.Length; b++)
                histogram.Buckets[b] = record.Int64();
        }
    }

    /// <summary>The counters of a text file an earlier version wrote; anything else in it is ignored.</summary>
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
                int index = Array.IndexOf(BoundLabels, Label(series, "le=\"").ToString());
                if (index >= 0 && TryCount(value, out long count))
                    counters.Histo(command).Buckets[index] = count;
            }
            else if (series.StartsWith(DurationName + "_sum{", StringComparison.Ordinal))
            {
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double sum))
                    counters.Histo(command).SumNanoseconds = (long)Math.Round(sum * 1e9);
            }
            else if (series.StartsWith(DurationName + "_count{", StringComparison.Ordinal) && TryCount(value, out long total))
                counters.Histo(command).Count = total;
        }

        return counters;
    }

    private static bool TryCount(ReadOnlySpan<char> value, out long count) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out count);

    internal void WriteTo(PromText output, string plugin)
    {
        output.Append("# HELP "u8).Append(CallsName).Append(" CNI commands run, by command and outcome (code 0: success, else the CNI error code).\n"u8)
            .Append("# TYPE "u8).Append(CallsName).Append(" counter\n"u8);
        foreach (var ((command, code), count) in _calls)
        {
            output.Append(CallsName).Append("{plugin=\""u8).Append(plugin).Append("\",command=\""u8).Append(command)
                .Append("\",code=\""u8).Append(code).Append("\"} "u8).Append(count).Append("\n"u8);
        }

        output.Append("# HELP "u8).Append(DurationName).Append(" Duration of CNI commands, by command.\n"u8)
            .Append("# TYPE "u8).Append(DurationName).Append(" histogram\n"u8);
        foreach (var (command, histogram) in _durations)
        {
            for (int i = 0; i <= BoundLabels.Length; i++)
            {
                Series(output, "_bucket"u8, plugin, command).Append(",le=\""u8).Append(i < BoundLabels.Length ? BoundLabels[i] : "+Inf")
                    .Append("\"} "u8).Append(i < BoundLabels.Length ? histogram.Buckets[i] : histogram.Count).Append("\n"u8);
            }

            Series(output, "_sum"u8, plugin, command).Append("} "u8).AppendSeconds(histogram.SumNanoseconds).Append("\n"u8);
            Series(output, "_count"u8, plugin, command).Append("} "u8).Append(histogram.Count).Append("\n"u8);
        }
    }

    private static PromText Series(PromText output, ReadOnlySpan<byte> suffix, string plugin, string command) =>
        output.Append(DurationName).Append(suffix).Append("{plugin=\""u8).Append(plugin).Append("\",command=\""u8).Append(command).Append("\""u8);

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
