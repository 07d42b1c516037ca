using System.Buffers;
using System.Globalization;
using System.Text;
using AzureCni.Cni.Files;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// &lt;dir&gt;/&lt;plugin&gt;.prom, a node-exporter textfile-collector file. Each call adds itself under an flock on
/// &lt;plugin&gt;.prom.lock, which also holds the counters (<see cref="CountersRecord"/>: one open, no text parsed),
/// and replaces the .prom whole by temp + rename (the collector never reads half a file). Nothing is fsynced:
/// metrics need atomicity, not durability (after a power cut the counters may start over, as Prometheus expects).
/// </summary>
public sealed class MetricsFile(string directory, string plugin)
{
    public const string ConfigField = "metricsDir";
    public const string Variable = "AZURE_CNI_METRICS_DIR";

    /// <summary>A call waits at most this long for another's update; then its metrics are skipped, never the call.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(2);

    public string Path { get; } = System.IO.Path.Combine(directory, plugin + ".prom");

    // The lock file name of every version, so that writers of two versions during an upgrade still take turns.
    private string LockPath => Path + ".lock";

    /// <summary>The config's metricsDir, else $AZURE_CNI_METRICS_DIR; null when neither is set.</summary>
    public static string? DirectoryOf(CniRequest request)
    {
        if (request.Config.Unknown is { } bag && bag.TryGet(ConfigField, out var raw) && raw.GetString() is { Length: > 0 } configured)
            return configured;
        return request.Environment.TryGetValue(Variable, out string? dir) && dir.Length > 0 ? dir : null;
    }

    /// <summary>
    /// Adds one call; <paramref name="pools"/> null keeps the last pool figures. Throws IOException (a missing
    /// directory, which is never created here, included), UnauthorizedAccessException, FormatException (a label
    /// the record cannot hold) or CniException (lock timeout).
    /// </summary>
    public void Record(string command, int code, TimeSpan duration, string version, PoolGauge[]? pools)
    {
        var files = FilePrimitives.Current;
        using var held = StateLock.Poll(() => files.TryLockFile(LockPath), LockTimeout)
            ?? throw new CniException(CniErrorCode.TryAgainLater, $"timed out after {LockTimeout.TotalSeconds:0.#} s waiting for {LockPath}");

        var (counters, previousPools) = Load(held);
        counters.Record(command, code, duration);
        pools ??= previousPools;
        // The record first: it is what the next call counts on, and it renders the .prom again should the replace fail.
        using (var record = CountersRecord.Write(counters, pools))
            held.Write(record.Bytes);

        using var text = new PromText();
        Render(text, plugin, version, counters, pools);
        files.ReplaceUnsynced(Path, text.Bytes);
    }

    /// <summary>The whole .prom: build info, the counters, the pools' last figures.</summary>
    internal static void Render(PromText text, string plugin, string version, CallCounters counters, PoolGauge[] pools)
    {
        text.Append("# HELP azure_cni_build_info The plugin's version.\n# TYPE azure_cni_build_info gauge\n"u8)
            .Append("azure_cni_build_info{plugin=\""u8).Append(plugin).Append("\",version=\""u8).Append(version).Append("\"} 1\n"u8);
        counters.WriteTo(text, plugin);
        if (pools.Length == 0)
            return;

        text.Append("# HELP azure_cni_ipam_pool_addresses IPAM addresses per pool: total, in_use, free (stale ones count in total only).\n"u8)
            .Append("# TYPE azure_cni_ipam_pool_addresses gauge\n"u8);
        foreach (var pool in pools)
        {
            PoolLine(text, plugin, pool.Subnet, "total"u8, pool.Total);
            PoolLine(text, plugin, pool.Subnet, "in_use"u8, pool.InUse);
            PoolLine(text, plugin, pool.Subnet, "free"u8, pool.Free);
        }
    }

    private static void PoolLine(PromText text, string plugin, string subnet, ReadOnlySpan<byte> state, int count) =>
        text.Append("azure_cni_ipam_pool_addresses{plugin=\""u8).Append(plugin).Append("\",subnet=\""u8).Append(subnet)
            .Append("\",state=\""u8).Append(state).Append("\"} "u8).Append(count).Append("\n"u8);

    // The record in the lock file; without one (a new directory, an earlier version's, a power cut's leftovers) the
    // counts of the .prom itself, so that an upgrade does not reset them.
    // The first read goes into the pooled array the record and the text use next, not the stack: a DEL, which prints
    // nothing, has not used that much stack before, and each new stack page is a page fault.
    private (CallCounters Counters, PoolGauge[] Pools) Load(ILockedFile held)
    {
        byte[] start = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read = held.Read(start);
            int length = CountersRecord.LengthOf(start.AsSpan(0, read));
            ReadOnlySpan<byte> record = length <= read ? start.AsSpan(0, read) : ReadWhole(held, length);
            if (CountersRecord.TryRead(record, out var counters, out var pools))
                return (counters, pools);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(start);
        }

        byte[]? bytes = FilePrimitives.Current.ReadOrNull(Path);
        string previous = bytes is null ? "" : Encoding.UTF8.GetString(bytes);
        return (CallCounters.Parse(previous), PreviousPools(previous).ToArray());
    }

    private static byte[] ReadWhole(ILockedFile held, int length)
    {
        byte[] whole = new byte[length];
        return whole.AsSpan(0, held.Read(whole)).ToArray();
    }

    private static List<PoolGauge> PreviousPools(string previous)
    {
        var pools = new List<PoolGauge>();
        foreach (var line in previous.Split('\n'))
        {
            if (!line.StartsWith("azure_cni_ipam_pool_addresses{", StringComparison.Ordinal))
                continue;
            string? subnet = Between(line, "subnet=\"", "\"");
            string? state = Between(line, "state=\"", "\"");
            if (subnet is null || state is null || !int.TryParse(line.AsSpan(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture, out int value))
                continue;
            int index = pools.FindIndex(p => p.Subnet == subnet);
            var pool = index >= 0 ? pools[index] : new PoolGauge(subnet, 0, 0, 0);
            pool = state switch { "total" => pool with { Total = value }, "in_use" => pool with { InUse = value }, _ => pool with { Free = value } };
            if (index >= 0)
                pools[index] = pool;
            else
                pools.Add(pool);
        }

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
