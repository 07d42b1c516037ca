using AzureCni.Cni.Files;
using AzureCni.Cni.Types;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace AzureCni.Cni.Logging;

/// <summary>
/// A plugin's log file: &lt;plugin&gt;.log in /var/log (Linux) or C:\k (Windows), or in $AZURE_CNI_LOG_DIR
/// (<see cref="PluginPaths"/>); rolled at 5 MB with 8 files kept (as upstream's lumberjack setup), appended to by
/// concurrent invocations (AppendFileSink over the platform's <see cref="IFilePrimitives"/>). Never stdout, which
/// carries only the CNI result. A log that cannot be written is dropped silently: logging must not fail a call.
/// </summary>
public static class CniLog
{
    public const long FileSizeLimitBytes = 5 * 1024 * 1024;
    public const int RetainedFileCount = 8;

    /// <summary>Creates the logger of one invocation; dispose it to flush.</summary>
    public static CniLogger Create(string pluginName, IReadOnlyDictionary<string, string> environment, bool debug, IFilePrimitives? files = null)
    {
        var sink = new AppendFileSink(
            PathOf(pluginName, environment),
            new MessageTemplateTextFormatter(
                "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] pid={ProcessId} {Message:lj}{NewLine}{Exception}",
                System.Globalization.CultureInfo.InvariantCulture),
            FileSizeLimitBytes,
            RetainedFileCount,
            files ?? FilePrimitives.Current);
        return new CniLogger(debug ? LogEventLevel.Debug : LogEventLevel.Information, sink, ProcessIdEnricher.Instance);
    }

    public static string PathOf(string pluginName, IReadOnlyDictionary<string, string> environment) =>
        PluginPaths.LogFile(PluginPaths.LogDir(environment), pluginName);

    /// <summary>The config's top-level "logLevel": "debug" turns on debug lines; anything else is info.</summary>
    public static bool IsDebug(NetConf config) =>
        config.Unknown is { } bag
        && bag.TryGet("logLevel", out var value)
        && value.TokenType == System.Text.Json.JsonTokenType.String
        && string.Equals(value.GetString(), "debug", StringComparison.OrdinalIgnoreCase);

    private sealed class ProcessIdEnricher : ILogEventEnricher
    {
        public static readonly ProcessIdEnricher Instance = new();
        private static readonly LogEventProperty Pid = new("ProcessId", new ScalarValue(Environment.ProcessId));

        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) => logEvent.AddPropertyIfAbsent(Pid);
    }
}
