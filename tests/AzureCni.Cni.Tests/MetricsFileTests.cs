using System.Globalization;
using AzureCni.Cni.Metrics;

namespace AzureCni.Cni.Tests;

/// <summary>
/// The metrics file's store: the counts live in a binary record in the lock file, the .prom is rendered from it, and
/// a record that is missing or damaged falls back to the counts of the .prom itself (an earlier version's file).
/// </summary>
public sealed class MetricsFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private MetricsFile File => new(_dir.Path, "azure-vnet");

    private string LockPath => File.Path + ".lock";

    private static readonly PoolGauge[] Pools = [new("10.240.0.0/16", 10, 3, 7)];

    // The value of the one line that starts with `series` followed by a space.
    private string Value(string series) =>
        System.IO.File.ReadAllLines(File.Path).Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..];

    private static string Series(string name, string command, string extra = "") =>
        $"{name}{{plugin=\"azure-vnet\",command=\"{command}\"{extra}}}";

    [Fact]
    public void Calls_AreCountedByCommandAndCode_WithExactNanosecondSums()
    {
        File.Record("ADD", 0, TimeSpan.FromTicks(15_000), "1.2.3", Pools);          // 1.5 ms
        File.Record("ADD", 0, TimeSpan.FromSeconds(3), "1.2.3", null);
        File.Record("ADD", 11, TimeSpan.FromTicks(1), "1.2.3", null);              // 100 ns
        File.Record("DEL", 0, TimeSpan.FromMilliseconds(20), "1.2.3", null);

        Assert.Equal("2", Value(Series(CallCounters.CallsName, "ADD", ",code=\"0\"")));
        Assert.Equal("1", Value(Series(CallCounters.CallsName, "ADD", ",code=\"11\"")));
        Assert.Equal("1", Value(Series(CallCounters.CallsName, "DEL", ",code=\"0\"")));
        Assert.Equal("3.001500100", Value(Series(CallCounters.DurationName + "_sum", "ADD")));
        Assert.Equal("3", Value(Series(CallCounters.DurationName + "_count", "ADD")));
        Assert.Equal("1", Value(Series(CallCounters.DurationName + "_bucket", "ADD", ",le=\"0.001\"")));
        Assert.Equal("2", Value(Series(CallCounters.DurationName + "_bucket", "ADD", ",le=\"0.0025\"")));
        Assert.Equal("3", Value(Series(CallCounters.DurationName + "_bucket", "ADD", ",le=\"5\"")));
        Assert.Equal("0.020000000", Value(Series(CallCounters.DurationName + "_sum", "DEL")));
        Assert.Equal("1", Value("azure_cni_build_info{plugin=\"azure-vnet\",version=\"1.2.3\"}"));
        // Calls that do not look at the pools keep the last figures.
        Assert.Equal("7", Value("azure_cni_ipam_pool_addresses{plugin=\"azure-vnet\",subnet=\"10.240.0.0/16\",state=\"free\"}"));
        Assert.Equal(["azure-vnet.prom", "azure-vnet.prom.lock", "azure-vnet.prom.tmp"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnEarlierVersionsTextFile_WithoutARecord_IsCountedOn()
    {
        System.IO.File.WriteAllText(File.Path, string.Join('\n',
            "# TYPE azure_cni_calls_total counter",
            Series(CallCounters.CallsName, "ADD", ",code=\"0\"") + " 41",
            Series(CallCounters.DurationName + "_bucket", "ADD", ",le=\"+Inf\"") + " 41",
            Series(CallCounters.DurationName + "_bucket", "ADD", ",le=\"0.1\"") + " 40",
            Series(CallCounters.DurationName + "_sum", "ADD") + " 2.5",
            Series(CallCounters.DurationName + "_count", "ADD") + " 41",
            "azure_cni_ipam_pool_addresses{plugin=\"azure-vnet\",subnet=\"10.1.0.0/24\",state=\"in_use\"} 4",
            ""));
        System.IO.File.WriteAllBytes(LockPath, []); // the earlier version's empty lock file

        File.Record("ADD", 0, TimeSpan.FromMilliseconds(50), "2.0.0", null);

        Assert.Equal("42", Value(Series(CallCounters.CallsName, "ADD", ",code=\"0\"")));
        Assert.Equal("41", Value(Series(CallCounters.DurationName + "_bucket", "ADD", ",le=\"0.1\"")));
        Assert.Equal("2.550000000", Value(Series(CallCounters.DurationName + "_sum", "ADD")));
        Assert.Equal("4", Value("azure_cni_ipam_pool_addresses{plugin=\"azure-vnet\",subnet=\"10.1.0.0/24\",state=\"in_use\"}"));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("zeros")]
    public void ADamagedRecord_IsNotRead_TheTextsCountsAreUsedInstead(string damage)
    {
        File.Record("DEL", 0, TimeSpan.FromMilliseconds(1), "1", Pools);
        File.Record("DEL", 0, TimeSpan.FromMilliseconds(1), "1", null);
        byte[] record = System.IO.File.ReadAllBytes(LockPath);
        // The record says 2 DELs; the text is made to say 5, so the test sees which one the next call counted on.
        System.IO.File.WriteAllText(File.Path, System.IO.File.ReadAllText(File.Path).Replace(
            Series(CallCounters.CallsName, "DEL", ",code=\"0\"") + " 2", Series(CallCounters.CallsName, "DEL", ",code=\"0\"") + " 5", StringComparison.Ordinal));
        switch (damage)
        {
            case "flip":
                record[^3] ^= 0x10;
                break;
            case "truncate":
                record = record[..(record.Length / 2)];
                break;
            default:
                Array.Clear(record);
                break;
        }

        System.IO.File.WriteAllBytes(LockPath, record);
        Assert.False(CountersRecord.TryRead(record, out _, out _));

        File.Record("DEL", 0, TimeSpan.FromMilliseconds(1), "1", null);
        Assert.Equal("6", Value(Series(CallCounters.CallsName, "DEL", ",code=\"0\"")));
        Assert.Equal("3", Value("azure_cni_ipam_pool_addresses{plugin=\"azure-vnet\",subnet=\"10.240.0.0/16\",state=\"in_use\"}"));
    }

    [Fact]
    public void ARecordLargerThanTheFirstRead_IsReadWhole()
    {
        // Codes 1..300: a record of ~6 KB, over the 4 KiB read on the stack.
        for (int code = 1; code <= 300; code++)
            File.Record("ADD", code, TimeSpan.FromMilliseconds(1), "1", null);
        File.Record("ADD", 300, TimeSpan.FromMilliseconds(1), "1", null);

        Assert.True(new FileInfo(LockPath).Length > 4096);
        Assert.Equal("2", Value(Series(CallCounters.CallsName, "ADD", ",code=\"300\"")));
        Assert.Equal("1", Value(Series(CallCounters.CallsName, "ADD", ",code=\"1\"")));
        Assert.Equal(301.ToString(CultureInfo.InvariantCulture), Value(Series(CallCounters.DurationName + "_count", "ADD")));
    }

    [Fact]
    public void ALabelTheRecordCannotHold_IsAFormatException_NotAFileTheNextCallCannotRead()
    {
        Assert.Throws<FormatException>(() => File.Record("ADD", 0, TimeSpan.Zero, "1", [new PoolGauge("a\"b", 1, 0, 1)]));
        File.Record("ADD", 0, TimeSpan.Zero, "1", null);
        Assert.Equal("1", Value(Series(CallCounters.CallsName, "ADD", ",code=\"0\"")));
    }

    [Fact]
    public void AMissingDirectory_IsAnIOException_AndIsNotCreated()
    {
        string missing = Path.Combine(_dir.Path, "no-such-dir");
        Assert.ThrowsAny<IOException>(() => new MetricsFile(missing, "azure-vnet").Record("ADD", 0, TimeSpan.Zero, "1", null));
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData(CountersRecord.MaxCount, true)]
    [InlineData(CountersRecord.MaxCount + 1, false)]
    public void ARecordWithMoreSeriesThanAnyNodeHasIsNoRecord(int series, bool accepted)
    {
        var counters = new CallCounters();
        for (int code = 0; code < series; code++)
            counters.Record("ADD", code, TimeSpan.FromMilliseconds(1));

        // The writer does not cap; the reader refuses, and the caller falls back to the .prom's own counts.
        using var record = CountersRecord.Write(counters, []);
        Assert.Equal(accepted, CountersRecord.TryRead(record.Bytes, out var read, out _));
        if (accepted)
        {
            using var text = new PromText();
            read.WriteTo(text, "azure-vnet");
            Assert.Equal(series, System.Text.Encoding.UTF8.GetString(text.Bytes).Split('\n').Count(l => l.StartsWith(CallCounters.CallsName + "{", StringComparison.Ordinal)));
        }
    }
}
