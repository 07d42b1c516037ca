using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace AzureCni.Cni.Logging;

/// <summary>
/// Serilog sink for a log file that many short-lived plugin processes write at once. Each event is one
/// write(2) on an O_APPEND descriptor, so concurrent writers never overwrite each other's lines (a sink that
/// writes at the offset it saw on open can). When the file reaches its size limit, the first writer to notice
/// rolls it under an flock: name.log -> name.log.1 -> ... -> name.log.N, the oldest dropped.
/// It replaces Serilog.Sinks.File, whose rolling code alone brought Regex and ~100 more static types into
/// every process start.
/// </summary>
internal sealed class AppendFileSink(string path, ITextFormatter formatter, long sizeLimit, int retainedFiles) : ILogEventSink, IDisposable
{
    private const int FileMode = 0x1A0; // 0640: logs may name pods; not world-readable.
    private int _fd = -1;

    public void Emit(LogEvent logEvent)
    {
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Format(logEvent, text);
        byte[] line = Encoding.UTF8.GetBytes(text.ToString());
        try
        {
            if (_fd < 0 && !Open())
                return;
            if (Interop.Libc.lseek(_fd, 0, Interop.Libc.SEEK_END) + line.Length > sizeLimit)
                Roll();
            Hosting.RawStdio.WriteAll(_fd, line);
        }
        catch (IOException)
        {
            // Logging must never fail a CNI call.
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Interop.Libc.close(_fd);
            _fd = -1;
        }
    }

    private bool Open()
    {
        _fd = Interop.Libc.open(path, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_APPEND | Interop.Libc.O_CLOEXEC, FileMode);
        return _fd >= 0;
    }

    private void Roll()
    {
        if (Interop.Libc.flock(_fd, Interop.Libc.LOCK_EX) != 0)
            return;
        try
        {
            // Another process may have rolled it while we waited: only roll the file still at our path.
            var current = new FileInfo(path);
            if (current.Exists && current.Length >= sizeLimit)
            {
                File.Delete($"{path}.{retainedFiles}");
                for (int i = retainedFiles - 1; i >= 1; i--)
                {
                    if (File.Exists($"{path}.{i}"))
                        File.Move($"{path}.{i}", $"{path}.{i + 1}", overwrite: true);
                }

                File.Move(path, path + ".1", overwrite: true);
            }
        }
        finally
        {
            Interop.Libc.flock(_fd, Interop.Libc.LOCK_UN);
        }

        Dispose();
        Open();
    }
}
