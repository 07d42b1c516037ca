using AzureCni.Cni.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Core.Enrichers;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace AzureCni.Cni.Tests;

/// <summary>
/// The plugins' own Serilog pipeline renders every line exactly as Serilog's <c>LoggerConfiguration</c> pipeline
/// does for the arguments the plugins log (strings, numbers, exceptions), filters by level the same way, and never
/// throws.
/// </summary>
public sealed class CniLoggerTests
{
    // The plugins' line format without the timestamp, which differs between two loggers by the clock.
    private const string Format = "[{Level:u3}] pid={ProcessId} {Message:lj} {Properties}{NewLine}{Exception}";

    private static IEnumerable<Action<ILogger>> Calls() =>
    [
        log => log.Information("{Command} container={ContainerId} ifname={IfName} network={Network} outcome=ok ips={Ips} duration_ms={DurationMs:0.000}",
            "ADD", "c1", "eth0", "azure", "10.0.0.4/16,fd00::4/64", 1.23456),
        log => log.Error("{Command} outcome=error code={Code} msg={Message} details={Details} duration_ms={DurationMs:0.000}",
            "DEL", 7, "quoted \"text\"", "", 0.5),
        log => log.Debug(new InvalidOperationException("boom"), "{Command} failed", "CHECK"),
        log => log.Warning("undo of {What} failed: {Error}", "veth azv1", null),
        log => log.Information("removed {Count} rules of {Container}/{IfName}", 3, "c2", "eth1"),
        log => log.Information("last endpoint gone: removing table {Table}", 101),
        log => log.Information("positional {1} then {0}", "a", "b"),
        log => log.Information("positional {0} with an extra value", "a", "b"),
        log => log.Information("fewer values {A} {B} {C}", "only-a"),
        log => log.Information("more values {A}", "a", "extra"),
        log => log.Information("stringified {$Value} and {Plain}", 42, 43),
        log => log.Information("same name {A} twice {A}", "first", "second"),
        log => log.Information("no properties at all"),
        log => log.Verbose("below the minimum {X}", 1),
        log => log.ForContext("Extra", "context").Information("with context {X}", 1),
    ];

    [Fact]
    public void EveryLine_IsSerilogsPipelinesLine()
    {
        var expected = new StringWriter();
        using (var serilog = new LoggerConfiguration().MinimumLevel.Debug().Enrich.With(new PropertyEnricher("ProcessId", 1234))
                   .WriteTo.Sink(new TextSink(expected)).CreateLogger())
        {
            foreach (var call in Calls())
                call(serilog);
        }

        var actual = new StringWriter();
        using (var ours = new CniLogger(LogEventLevel.Debug, new TextSink(actual), new PropertyEnricher("ProcessId", 1234)))
        {
            foreach (var call in Calls())
                call(ours);
        }

        Assert.Equal(expected.ToString(), actual.ToString());
        Assert.Equal(14, actual.ToString().Split('\n').Count(l => l.StartsWith('[')));
    }

    [Fact]
    public void ThePluginsLine_IsSerilogsTextFormattersLine()
    {
        var events = new List<LogEvent>();
        using (var ours = new CniLogger(LogEventLevel.Debug, new ListSink(events), new PropertyEnricher("ProcessId", 1234)))
        {
            foreach (var call in Calls())
                call(ours);
            ((ILogger)ours).Information("aligned {Left,-6}|{Right,6}|{Wide,2}|{Json} {Formatted:000}", "ab", 7, "wider", 2.5, 4);
        }
        var serilog = new MessageTemplateTextFormatter(CniLog.OutputTemplate, System.Globalization.CultureInfo.InvariantCulture);

        foreach (LogEvent logEvent in events)
        {
            var expected = new StringWriter();
            serilog.Format(logEvent, expected);
            var actual = new StringWriter();
            CniLineFormatter.Instance.Format(logEvent, actual);
            Assert.Equal(expected.ToString(), actual.ToString());
        }
        Assert.Equal(15, events.Count);
    }

    [Fact]
    public void TheMinimumLevel_FiltersAsSerilogs()
    {
        var events = new List<LogEvent>();
        using var logger = new CniLogger(LogEventLevel.Information, new ListSink(events));
        ILogger log = logger;
        log.Debug("hidden {X}", 1);
        log.Information("shown {X}", 2);
        log.Write(new LogEvent(DateTimeOffset.Now, LogEventLevel.Verbose, null, new Serilog.Parsing.MessageTemplateParser().Parse("x"), []));

        Assert.False(log.IsEnabled(LogEventLevel.Debug));
        Assert.True(log.IsEnabled(LogEventLevel.Warning));
        LogEvent shown = Assert.Single(events);
        Assert.Equal("2", shown.Properties["X"].ToString());
    }

    [Fact]
    public void AFailingSink_NeverFailsTheCaller_AndDisposeReachesTheSink()
    {
        var sink = new ThrowingSink();
        var logger = new CniLogger(LogEventLevel.Information, sink);
        ((ILogger)logger).Information("dropped {X}", 1);
        logger.Dispose();

        Assert.Equal(1, sink.Emitted);
        Assert.True(sink.Disposed);
    }

    private sealed class TextSink(TextWriter output) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _formatter = new(Format, System.Globalization.CultureInfo.InvariantCulture);

        public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, output);
    }

    private sealed class ListSink(List<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Add(logEvent);
    }

    private sealed class ThrowingSink : ILogEventSink, IDisposable
    {
        public int Emitted { get; private set; }

        public bool Disposed { get; private set; }

        public void Emit(LogEvent logEvent)
        {
            Emitted++;
            throw new IOException("disk full");
        }

        public void Dispose() => Disposed = true;
    }
}
