using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AzureCni.Vnet.Logging;

/// <summary>
/// The plugin's log: /var/log/azure-vnet.log (or $AZURE_CNI_LOG_DIR/azure-vnet.log), rolled at 5 MB, 8 files kept,
/// shared between concurrent invocations. Never stdout, which carries only the CNI result.
/// </summary>
internal static class VnetLog
{
    public const string LogDirVariable = "AZURE_CNI_LOG_DIR";
    public const string DefaultLogDir = "/var/log";
    public const string FileName = "azure-vnet.log";

    public static Logger Create(IReadOnlyDictionary<string, string> environment, bool debug)
    {
        string dir = environment.TryGetValue(LogDirVariable, out string? d) && d.Length > 0 ? d : DefaultLogDir;
        return new LoggerConfiguration()
            .MinimumLevel.Is(debug ? LogEventLevel.Debug : LogEventLevel.Information)
            .WriteTo.File(
                Path.Combine(dir, FileName),
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {ProcessId} {Message:lj}{NewLine}",
                fileSizeLimitBytes: 5 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 8,
                shared: true)
            .Enrich.With(new ProcessIdEnricher())
            .CreateLogger();
    }

    private sealed class ProcessIdEnricher : ILogEventEnricher
    {
        private static readonly LogEventProperty Pid = new("ProcessId", new ScalarValue(Environment.ProcessId));

        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) => logEvent.AddPropertyIfAbsent(Pid);
    }
}
