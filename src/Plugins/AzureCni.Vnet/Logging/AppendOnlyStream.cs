using System.Runtime.InteropServices;
using Serilog.Sinks.File;

namespace AzureCni.Vnet.Logging;

/// <summary>
/// Makes the log safe for concurrent invocations: the file sink's own stream seeks to the end once at open, so two
/// processes writing at once would overwrite each other's lines. This hook sends every write to a descriptor opened
/// with O_APPEND instead, where the kernel appends each write(2) atomically.
/// </summary>
internal sealed class AppendOnlyHooks : FileLifecycleHooks
{
    public override Stream OnFileOpened(string path, Stream underlyingStream, System.Text.Encoding encoding) => AppendOnlyStream.Open(path);
}

internal sealed class AppendOnlyStream : Stream
{
    private readonly AppendFd _fd;

    private AppendOnlyStream(AppendFd fd) => _fd = fd;

    public static AppendOnlyStream Open(string path)
    {
        int fd = Interop.Libc.Open(path, Interop.Libc.O_WRONLY | Interop.Libc.O_APPEND | Interop.Libc.O_CREAT | Interop.Libc.O_CLOEXEC, 0x1A0 /* 0640 */);
        if (fd < 0)
        {
            throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError().ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return new AppendOnlyStream(new AppendFd(fd));
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = Interop.Libc.Write(_fd.Fd, p + done, buffer.Length - done);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Libc.EINTR)
                    {
                        continue;
                    }

                    throw new IOException("write to the log: errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                done += (int)n;
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fd.Dispose();
        }

        base.Dispose(disposing);
    }
}
