using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AzureCni.Cni.Hosting;

/// <summary>
/// The process's standard streams as raw file descriptors (read(0)/write(1)/write(2)) on Linux: System.Console would
/// start a signal-handling thread and cost ~0.3 ms per invocation. <see cref="StandardStreams"/> picks these or Windows'.
/// </summary>
public static class RawStdio
{
    public const int StdinFd = 0;
    public const int StdoutFd = 1;
    public const int StderrFd = 2;

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, but never more than <paramref name="limit"/> + 1 bytes, so an
    /// oversized input is detected without reading (or waiting for) the rest of it.
    /// </summary>
    public static byte[] ReadToEnd(Stream stream, int limit, out bool tooLarge)
    {
        // Uninitialised: only the bytes read are ever looked at, and clearing 16 KiB on every call costs ~8 K instructions.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(Math.Min(limit + 1, 16 * 1024));
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 4, (long)limit + 1));
            }

            int n = stream.Read(buffer, length, buffer.Length - length);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        tooLarge = length > limit;
        return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Writes all of <paramref name="data"/>, retrying short writes and EINTR; false when the descriptor fails.</summary>
    [UnsupportedOSPlatform("windows")]
    public static unsafe bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            int written = 0;
            while (written < data.Length)
            {
                nint n = Interop.Libc.write(fd, start + written, data.Length - written);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interop.Libc.EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                written += (int)n;
            }
        }

        return true;
    }
}

/// <summary>A read-only stream over a file descriptor through read(2); the descriptor is not closed.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class FdReadStream(int fd) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Interop.Libc.read(fd, p, buffer.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Interop.Libc.EINTR)
                {
                    throw new IOException($"read(fd {fd}) failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A buffered writer that sends its whole content to one file descriptor when flushed.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class FdBufferWriter(int fd) : FlushingBufferWriter
{
    protected override void Send(ReadOnlySpan<byte> content) => RawStdio.WriteAll(fd, content);
}
