using AzureCni.Cni.Logging;

namespace AzureCni.Cni.Tests;

/// <summary>The log lines' clock gives the time and offset .NET's own local time gives.</summary>
public sealed class LocalClockTests
{
    [Fact]
    public void Now_IsDotNetsLocalTime()
    {
        DateTimeOffset before = DateTimeOffset.Now;
        DateTimeOffset now = LocalClock.Now();
        DateTimeOffset after = DateTimeOffset.Now;

        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(now.UtcDateTime), now.Offset);
        Assert.InRange(now.UtcTicks, before.UtcTicks, after.UtcTicks);
        Assert.Equal(now.UtcDateTime + now.Offset, now.DateTime);
    }
}
