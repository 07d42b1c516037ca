using AzureCni.Cni.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AzureCni.Cni.Tests;

/// <summary>The per-command log line: a failure's stack trace goes to the log at debug level only, never in the error line.</summary>
public sealed class CommandLogTests
{
    private static readonly CniRequest Request = new() { Command = CniCommand.Add, Config = new() { Name = "azure" }, ContainerId = "c1", IfName = "eth0" };

    [Fact]
    public void AnUnexpectedException_IsOneErrorLineWithoutStack_AndTheStackAtDebug()
    {
        var events = new List<LogEvent>();
        using (var log = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new ListSink(events)).CreateLogger())
            Assert.Throws<InvalidOperationException>(() => CommandLog.Run<bool>(log, Request, () => throw new InvalidOperationException("boom")));

        LogEvent error = Assert.Single(events, e => e.Level == LogEventLevel.Error);
        Assert.Null(error.Exception);
        Assert.Equal("\"\"", error.Properties["Details"].ToString());
        Assert.Equal("\"InvalidOperationException: boom\"", error.Properties["Message"].ToString());
        LogEvent debug = Assert.Single(events, e => e.Level == LogEventLevel.Debug && e.Exception is not null);
        Assert.IsType<InvalidOperationException>(debug.Exception);
    }

    [Fact]
    public void AtInfoLevel_NoStackIsWritten()
    {
        var events = new List<LogEvent>();
        using (var log = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(new ListSink(events)).CreateLogger())
            Assert.Throws<InvalidOperationException>(() => CommandLog.Run<bool>(log, Request, () => throw new InvalidOperationException("boom")));

        Assert.Single(events);
        Assert.DoesNotContain(events, e => e.Exception is not null);
    }

    /// <summary>The log file itself: at debug the failure's stack trace follows the debug line; at info it is nowhere.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheLogFile_HoldsTheStackTrace_OnlyAtDebug(bool debug)
    {
        using var dir = new TempDir();
        var environment = new Dictionary<string, string> { [AzureCni.Cni.Files.PluginPaths.LogDirVariable] = dir.Path };
        using (var log = CniLog.Create("azure-vnet", environment, debug))
            Assert.Throws<InvalidOperationException>(() => CommandLog.Run<bool>(log, Request, Throw));

        string text = File.ReadAllText(CniLog.PathOf("azure-vnet", environment));
        string errorLine = Assert.Single(text.Split('\n'), line => line.Contains("[ERR]", StringComparison.Ordinal));
        Assert.Contains("msg=InvalidOperationException: boom details=", errorLine, StringComparison.Ordinal);
        Assert.Equal(debug, text.Contains("System.InvalidOperationException: boom", StringComparison.Ordinal));
        Assert.Equal(debug, text.Contains("   at AzureCni.Cni.Tests.CommandLogTests.Throw()", StringComparison.Ordinal));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool Throw() => throw new InvalidOperationException("boom");

    private sealed class ListSink(List<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Add(logEvent);
    }
}
