using System.Text;
using AzureCni.Cni.Files;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace AzureCni.Cni.Logging;

/// <summary>
/// Serilog sink for a log file that many short-lived plugin processes write at once: each event is appended
/// as one unit through the platform's <see cref="IAppendLog"/> (an O_APPEND write on Linux, a locked append on
/// Windows), so concurrent writers never overwrite each other's lines (a sink that writes at the offset it saw
/// on open can), and the log is rolled at its size limit.
/// It replaces Serilog.Sinks.File, whose rolling code alone brought Regex and ~100 more static types into
/// every process start.
/// </summary>
internal sealed class AppendFileSink(string path, ITextFormatter formatter, long sizeLimit, int retainedFiles, IFilePrimitives files) : ILogEventSink, IDisposable
{
    private IAppendLog? _log;

    public void Emit(LogEvent logEvent)
    {
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Format(logEvent, text);
        byte[] line = Encoding.UTF8.GetBytes(text.ToString());
        try
        {
            _log ??= files.OpenLog(path, sizeLimit, retainedFiles);
            _log.Append(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Logging must never fail a CNI call.
        }
    }

    public void Dispose()
    {
        _log?.Dispose();
        _log = null;
    }
}
