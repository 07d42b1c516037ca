using System.Text;
using AzureCni.Cni.Metrics;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// The metrics lock file's bytes (anything a power cut, another version or a hand left there) and the text of a
/// .prom an earlier version wrote: a record is accepted or refused (false), never an exception; an accepted one is
/// updated, written and read back to the same text.
/// </summary>
public static class MetricsTarget
{
    public static void Run(byte[] input)
    {
        // Twice: as the file's bytes (almost always refused at the checksum), and as a payload under a header that
        // checks out, so the reader behind the checksum sees every input.
        Update(input);
        Update(Sealed(input));
        CallCounters.Parse(Encoding.UTF8.GetString(input));
    }

    private static void Update(byte[] bytes)
    {
        if (!CountersRecord.TryRead(bytes, out var counters, out var pools))
            return;

        counters.Record("ADD", 0, TimeSpan.FromMilliseconds(3));
        // Every text the reader accepted is one the writer takes: no FormatException here.
        using var written = CountersRecord.Write(counters, pools);
        if (!CountersRecord.TryRead(written.Bytes, out var again, out var againPools))
            throw new FuzzInvariantException("a record written from an accepted one is refused");
        if (Render(again, againPools) != Render(counters, pools))
            throw new FuzzInvariantException("a record written from an accepted one reads back different counts");
    }

    private static string Render(CallCounters counters, PoolGauge[] pools)
    {
        using var text = new PromText();
        MetricsFile.Render(text, "azure-vnet-ipam", "1.0.0", counters, pools);
        return Encoding.UTF8.GetString(text.Bytes);
    }

    private static byte[] Sealed(byte[] payload)
    {
        byte[] record = new byte[CountersRecord.HeaderSize + payload.Length];
        payload.CopyTo(record, CountersRecord.HeaderSize);
        CountersRecord.Seal(record);
        return record;
    }
}
