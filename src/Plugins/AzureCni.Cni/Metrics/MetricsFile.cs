using System.Globalization;
using System.Text;
using AzureCni.Cni.Files;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// &lt;dir&gt;/&lt;plugin&gt;.prom, a node-exporter textfile-collector file. Each call adds itself under an flock on
/// &lt;plugin&gt;.prom.lock (concurrent calls add up exactly) and replaces the file by rename of a temp file (the
/// collector never reads half a file), with raw open/write/rename and no fsync: metrics need atomicity, not
/// durability (after a power cut counters may start over, as Prometheus expects).
/// </summary>
public sealed class MetricsFile(string directory, string plugin)
{
    public const string ConfigField = "metricsDir";
    public const string Variable = "AZURE_CNI_METRICS_DIR";

    /// <summary>A call waits at most this long for another's update; then its metrics are skipped, never the call.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(2);

    public string Path => System.IO.Path.Combine(directory, plugin + ".prom");

    /// <summary>The config's metricsDir, else $AZURE_CNI_METRICS_DIR; null when neither is set.</summary>
    public static string? DirectoryOf(CniRequest request)
    {
        if (request.Config.Unknown is { } bag && bag.TryGet(ConfigField, out var raw) && raw.GetString() is { Length: > 0 } configured)
            return configured;
        return request.Environment.TryGetValue(Variable, out string? dir) && dir.Length > 0 ? dir : null;
    }

    /// <summary>Adds one call; throws IOException, UnauthorizedAccessException or CniException (lock timeout).</summary>
    public void Record(string command, int code, double seconds, string version, IReadOnlyList<PoolGauge>? pools)
    {
        // The operator's directory is never created here (the lock would create it): missing is a warning.
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory} does not exist");
        using var held = StateLock.Acquire(Path + ".lock", LockTimeout);
        // The repo's raw read (no FileStream, no advisory flock of its own): this runs on every call.
        byte[]? bytes = FilePrimitives.Current.ReadOrNull(Path);
        string previous = bytes is null ? "" : Encoding.UTF8.GetString(bytes);
        var counters = CallCounters.Parse(previous);
        counters.Record(command, code, seconds);

        var text = new StringBuilder(4096);
        text.Append("# HELP azure_cni_build_info The plugin's version.\n# TYPE azure_cni_build_info gauge\n")
            .Append(CultureInfo.InvariantCulture, $"azure_cni_build_info{{plugin=\"{plugin}\",version=\"{version}\"}} 1\n");
        counters.WriteTo(text, plugin);
        pools ??= PreviousPools(previous);
        if (pools.Count > 0)
        {
            text.Append("# HELP azure_cni_ipam_pool_addresses IPAM addresses per pool: total, in_use, free (stale ones count in total only).\n")
                .Append("# TYPE azure_cni_ipam_pool_addresses gauge\n");
            foreach (var pool in pools)
            {
                foreach (var (state, count) in new[] { ("total", pool.Total), ("in_use", pool.InUse), ("free", pool.Free) })
                    text.Append(CultureInfo.InvariantCulture, $"azure_cni_ipam_pool_addresses{{plugin=\"{plugin}\",subnet=\"{pool.Subnet}\",state=\"{state}\"}} {count}\n");
            }
        }

        FilePrimitives.Current.ReplaceUnsynced(Path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    // A call that does not look at the pools (VERSION, STATUS) keeps the last figures.
    private static List<PoolGauge> PreviousPools(string previous)
    {
        var bySubnet = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var line in previous.Split('\n'))
        {
            if (!line.StartsWith("azure_cni_ipam_pool_addresses{", StringComparison.Ordinal))
                continue;
            string? subnet = Between(line, "subnet=\"", "\"");
            string? state = Between(line, "state=\"", "\"");
            if (subnet is null || state is null || !int.TryParse(line.AsSpan(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture, out int value))
                continue;
            if (!bySubnet.TryGetValue(subnet, out var counts))
                bySubnet[subnet] = counts = new int[3];
            counts[state switch { "total" => 0, "in_use" => 1, _ => 2 }] = value;
        }

        var pools = new List<PoolGauge>(bySubnet.Count);
        foreach (var (subnet, counts) in bySubnet)
            pools.Add(new PoolGauge(subnet, counts[0], counts[1], counts[2]));
        return pools;
    }

    private static string? Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
            return null;
        from += start.Length;
        int to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : text[from..to];
    }
}
