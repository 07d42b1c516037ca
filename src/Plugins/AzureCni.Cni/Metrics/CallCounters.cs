using System.Globalization;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// The counters of one plugin's metrics: calls by command and outcome, and a latency histogram per command. Stored
/// in a <see cref="CountersRecord"/> and rendered as Prometheus text; <see cref="Parse"/> reads them back from a
/// text file only when there is no record (a metrics directory written by an earlier version).
/// </summary>
public sealed class CallCounters
{
    // Upper bounds of the duration buckets (CNI commands take milliseconds to seconds), and their `le` labels as
    // Prometheus clients write them. Constant data in the image, not static arrays: those would be built by a class
    // constructor, with a GC static base and 14 allocations, in every metered process.
    private static ReadOnlySpan<long> BoundNanoseconds =>
        [1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000];

    private const int BoundCount = 13;

    private static ReadOnlySpan<byte> BoundLabel(int bound) => bound switch
    {
        0 => "0.001"u8,
        1 => "0.0025"u8,
        2 => "0.005"u8,
        3 => "0.01"u8,
        4 => "0.025"u8,
        5 => "0.05"u8,
        6 => "0.1"u8,
        7 => "0.25"u8,
        8 => "0.5"u8,
        9 => "1"u8,
        10 => "2.5"u8,
        11 => "5"u8,
        _ => "10"u8,
    };

    public const string CallsName = "azure_cni_calls_total";
    public const string DurationName = "azure_cni_call_duration_seconds";

    private static ReadOnlySpan<byte> CallsNameUtf8 => "azure_cni_calls_total"u8;
    private static ReadOnlySpan<byte> DurationNameUtf8 => "azure_cni_call_duration_seconds"u8;

    // Lists kept in order (command, then code) rather than sorted dictionaries: a node sees a handful of series, and
    // each comparer and dictionary interface a NativeAOT process calls costs it ~1 K instructions the first time.
    private readonly List<CallSeries> _calls = [];
    private readonly List<Histogram> _durations = [];

    private sealed class CallSeries(string command, int code)
    {
        public string Command { get; } = command;

        public int Code { get; } = code;

        public long Count { get; set; }
    }

    private sealed class Histogram(string command)
    {
        public string Command { get; } = command;

        public long[] Buckets { get; } = new long[BoundCount];

        public long SumNanoseconds { get; set; }

        public long Count { get; set; }
    }

    public void Record(string command, int code, TimeSpan duration)
    {
        Calls(command, code).Count++;
        long nanoseconds = duration.Ticks * 100;
        var histogram = Histo(command);
        var bounds = BoundNanoseconds;
        for (int i = 0; i < bounds.Length; i++)
        {
            if (nanoseconds <= bounds[i])
                histogram.Buckets[i]++;
        }

        histogram.SumNanoseconds += nanoseconds;
        histogram.Count++;
    }

    private CallSeries Calls(string command, int code)
    {
        int i = 0;
        for (; i < _calls.Count; i++)
        {
            int order = string.CompareOrdinal(_calls[i].Command, command);
            if (order == 0 && _calls[i].Code == code)
                return _calls[i];
            if (order > 0 || (order == 0 && _calls[i].Code > code))
                break;
        }

        var series = new CallSeries(command, code);
        _calls.Insert(i, series);
        return series;
    }

    private Histogram Histo(string command)
    {
        int i = 0;
        for (; i < _durations.Count; i++)
        {
            int order = string.CompareOrdinal(_durations[i].Command, command);
            if (order == 0)
                return _durations[i];
            if (order > 0)
                break;
        }

        var histogram = new Histogram(command);
        _durations.Insert(i, histogram);
        return histogram;
    }

    internal void Save(CountersRecord.Writer record)
    {
        record.Count(_calls.Count);
        foreach (var series in _calls)
            record.Text(series.Command).Int32(series.Code).Int64(series.Count);

        record.Count(_durations.Count);
        foreach (var histogram in _durations)
        {
            record.Text(histogram.Command).Int64(histogram.Count).Int64(histogram.SumNanoseconds);
            foreach (long bucket in histogram.Buckets)
                record.Int64(bucket);
        }
    }

    internal void Load(ref CountersRecord.Reader record)
    {
        for (int i = record.Count(); i > 0; i--)
            Calls(record.Text(), record.Int32()).Count = record.Int64();

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
                    counters.Calls(command, code).Count = count;
            }
            else if (series.StartsWith(DurationName + "_bucket{", StringComparison.Ordinal))
            {
                int index = BoundIndex(Label(series, "le=\""));
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

    private static int BoundIndex(ReadOnlySpan<char> label)
    {
        for (int i = 0; i < BoundCount; i++)
        {
            if (System.Text.Ascii.Equals(BoundLabel(i), label))
                return i;
        }

        return -1;
    }

    private static bool TryCount(ReadOnlySpan<char> value, out long count) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out count);

    internal void WriteTo(PromText output, string plugin)
    {
        output.Append("# HELP "u8).Append(CallsNameUtf8).Append(" CNI commands run, by command and outcome (code 0: success, else the CNI error code).\n"u8)
            .Append("# TYPE "u8).Append(CallsNameUtf8).Append(" counter\n"u8);
        foreach (var series in _calls)
        {
            output.Append(CallsNameUtf8).Append("{plugin=\""u8).Append(plugin).Append("\",command=\""u8).Append(series.Command)
                .Append("\",code=\""u8).Append(series.Code).Append("\"} "u8).Append(series.Count).Append("\n"u8);
        }

        output.Append("# HELP "u8).Append(DurationNameUtf8).Append(" Duration of CNI commands, by command.\n"u8)
            .Append("# TYPE "u8).Append(DurationNameUtf8).Append(" histogram\n"u8);
        foreach (var histogram in _durations)
        {
            // The part every bucket line of the command shares, rendered once in the first line and copied from there
            // into the other 13.
            int prefix = output.Length;
            output.Append(DurationNameUtf8).Append("_bucket{plugin=\""u8).Append(plugin)
                .Append("\",command=\""u8).Append(histogram.Command).Append("\",le=\""u8);
            int prefixLength = output.Length - prefix;
            for (int i = 0; i < BoundCount; i++)
            {
                if (i > 0)
                    output.AppendOwn(prefix, prefixLength);
                output.Append(BoundLabel(i)).Append("\"} "u8).Append(histogram.Buckets[i]).Append("\n"u8);
            }

            output.AppendOwn(prefix, prefixLength).Append("+Inf\"} "u8).Append(histogram.Count).Append("\n"u8);

            output.Append(DurationNameUtf8).Append("_sum{plugin=\""u8).Append(plugin).Append("\",command=\""u8).Append(histogram.Command)
                .Append("\"} "u8).AppendSeconds(histogram.SumNanoseconds).Append("\n"u8);
            output.Append(DurationNameUtf8).Append("_count{plugin=\""u8).Append(plugin).Append("\",command=\""u8).Append(histogram.Command)
                .Append("\"} "u8).Append(histogram.Count).Append("\n"u8);
        }
    }

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
