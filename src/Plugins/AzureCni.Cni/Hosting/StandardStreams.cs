using System.Buffers;
using System.Runtime.Versioning;

namespace AzureCni.Cni.Hosting;

/// <summary>
/// The process's standard streams, chosen at run time: on Linux the raw descriptors 0, 1 and 2 (<see cref="RawStdio"/>;
/// System.Console would start a signal-handling thread and cost ~0.3 ms per invocation), on Windows the Console's
/// streams, there being no descriptors to write to.
/// </summary>
public static class StandardStreams
{
    public static Stream OpenInput() =>
        OperatingSystem.IsWindows() ? Console.OpenStandardInput() : new FdReadStream(RawStdio.StdinFd);

    /// <summary>Standard output, buffered until <see cref="FlushingBufferWriter.Flush"/>: the result goes out in one write.</summary>
    public static FlushingBufferWriter OpenOutput() =>
        OperatingSystem.IsWindows() ? new StreamBufferWriter(Console.OpenStandardOutput()) : new FdBufferWriter(RawStdio.StdoutFd);

    public static FlushingBufferWriter OpenError() =>
        OperatingSystem.IsWindows() ? new StreamBufferWriter(Console.OpenStandardError()) : new FdBufferWriter(RawStdio.StderrFd);

    /// <summary>Writes <paramref name="text"/> to standard output now (tools that are not CNI commands, such as host-check).</summary>
    public static void WriteOutput(ReadOnlySpan<byte> text) => WriteNow(text, error: false);

    /// <summary>Writes <paramref name="text"/> to standard error now (warnings that must not wait for the end of the call).</summary>
    public static void WriteError(ReadOnlySpan<byte> text) => WriteNow(text, error: true);

    private static void WriteNow(ReadOnlySpan<byte> text, bool error)
    {
        if (OperatingSystem.IsWindows())
        {
            WriteToConsole(text, error);
        }
        else
        {
            RawStdio.WriteAll(error ? RawStdio.StderrFd : RawStdio.StdoutFd, text);
        }
    }

    [SupportedOSPlatform("windows")]
    private static void WriteToConsole(ReadOnlySpan<byte> text, bool error)
    {
        using var stream = error ? Console.OpenStandardError() : Console.OpenStandardOutput();
        stream.Write(text);
        stream.Flush();
    }
}

/// <summary>A buffer writer whose content goes out, in one piece, when flushed.</summary>
public abstract class FlushingBufferWriter : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public void Advance(int count) => _buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    public void Flush()
    {
        if (_buffer.WrittenCount > 0)
        {
            Send(_buffer.WrittenSpan);
            _buffer.Clear();
        }
    }

    /// <summary>Writes everything buffered so far to the destination.</summary>
    protected abstract void Send(ReadOnlySpan<byte> content);
}

/// <summary>A buffered writer over a <see cref="Stream"/> (the Windows console streams; tests use memory).</summary>
public sealed class StreamBufferWriter(Stream stream) : FlushingBufferWriter
{
    protected override void Send(ReadOnlySpan<byte> content)
    {
        stream.Write(content);
        stream.Flush();
    }
}
