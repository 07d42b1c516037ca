namespace AzureCni.Cni.Logging;

/// <summary>
/// The local time of a log line, as <see cref="DateTimeOffset.Now"/>. On Linux the offset comes from glibc's
/// localtime_r, which reads the zone as .NET does (TZ, else /etc/localtime): TimeZoneInfo.Local's first use costs
/// every logged call of a plugin process ~60 K instructions (its class constructor and zone cache, docs/benchmarks.md).
/// </summary>
internal static class LocalClock
{
    public static DateTimeOffset Now()
    {
        if (!OperatingSystem.IsLinux())
            return DateTimeOffset.Now;
        DateTime utc = DateTime.UtcNow;
        long offset = LocalOffsetSeconds((utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond);
        // DateTimeOffset takes whole minutes within 14 hours; anything else (no zone data, a historical LMT offset)
        // is left to .NET.
        if (offset == long.MinValue || offset % 60 != 0 || Math.Abs(offset) > 14 * 3600)
            return DateTimeOffset.Now;
        return new DateTimeOffset(utc.Ticks + offset * TimeSpan.TicksPerSecond, TimeSpan.FromSeconds(offset));
    }

    private static unsafe long LocalOffsetSeconds(long unixSeconds)
    {
        Interop.Libc.Tm tm;
        return Interop.Libc.localtime_r(&unixSeconds, &tm) is null ? long.MinValue : tm.GmtOffset;
    }
}
