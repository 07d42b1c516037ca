using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AzureCni.Cni;

/// <summary>An owned file descriptor (a pipe end, or a file opened with O_CLOEXEC), closed exactly once.</summary>
internal sealed class SafeFd : SafeHandle
{
    public SafeFd(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number for a system call; valid while this object is not disposed.</summary>
    public int Fd => (int)handle;

    /// <summary>open(2) with O_CLOEXEC, retried on EINTR; throws IOException naming the path (HResult = errno).</summary>
    [SupportedOSPlatform("linux")]
    public static SafeFd Open(string path, int flags, int mode = 0) =>
        OpenOrNullIfMissing(path, flags, mode) ?? throw OpenError(path, Interop.Libc.ENOENT);

    /// <summary>
    /// As <see cref="Open"/>, but null when the path does not exist (ENOENT): a missing file is an answer on the
    /// hot path, and a thrown exception costs a NativeAOT process ~0.02-0.05 M instructions.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static SafeFd? OpenOrNullIfMissing(string path, int flags, int mode = 0)
    {
        int fd;
        do
        {
            fd = Interop.Libc.open(path, flags | Interop.Libc.O_CLOEXEC, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interop.Libc.EINTR);

        if (fd >= 0)
            return new SafeFd(fd);
        int errno = Marshal.GetLastPInvokeError();
        return errno == Interop.Libc.ENOENT ? null : throw OpenError(path, errno);
    }

    private static IOException OpenError(string path, int errno) => new($"open {path}: {Interop.Libc.ErrorText(errno)}", errno);

    /// <summary>Writes all of <paramref name="data"/>, retrying short writes and EINTR.</summary>
    public unsafe void WriteAll(ReadOnlySpan<byte> data, string pathForErrors)
    {
        fixed (byte* start = data)
            WriteFully(Transfer(Direction.Write, start, data.Length, 0, pathForErrors), data.Length, pathForErrors);
    }

    /// <summary>pread(2) into all of <paramref name="buffer"/> from <paramref name="offset"/>, retrying short reads and EINTR; fewer bytes only at end of file.</summary>
    [SupportedOSPlatform("linux")]
    public unsafe int ReadAt(Span<byte> buffer, long offset, string pathForErrors)
    {
        fixed (byte* start = buffer)
            return Transfer(Direction.ReadAt, start, buffer.Length, offset, pathForErrors);
    }

    /// <summary>
    /// One pread(2) into <paramref name="buffer"/> from <paramref name="offset"/>, retried on EINTR only: of a regular
    /// file it reads all there is up to the buffer's length, so a short count is the end, and asking again to see a
    /// 0 is a system call for nothing.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public unsafe int ReadOnceAt(Span<byte> buffer, long offset, string pathForErrors)
    {
        fixed (byte* start = buffer)
            return Transfer(Direction.ReadOnceAt, start, buffer.Length, offset, pathForErrors);
    }

    /// <summary>pwrite(2) of all of <paramref name="data"/> at <paramref name="offset"/>, retrying short writes and EINTR.</summary>
    [SupportedOSPlatform("linux")]
    public unsafe void WriteAllAt(ReadOnlySpan<byte> data, long offset, string pathForErrors)
    {
        fixed (byte* start = data)
            WriteFully(Transfer(Direction.WriteAt, start, data.Length, offset, pathForErrors), data.Length, pathForErrors);
    }

    private enum Direction
    {
        Write,
        ReadAt,
        ReadOnceAt,
        WriteAt,
    }

    // The one retry loop of the whole-buffer calls: a short transfer continues, EINTR retries, 0 bytes ends it (end
    // of file for a read; a write that makes no progress is reported by the caller).
    private unsafe int Transfer(Direction direction, byte* start, int length, long offset, string pathForErrors)
    {
        int done = 0;
        while (done < length)
        {
            nint n = direction switch
            {
                Direction.Write => Interop.Libc.write(Fd, start + done, length - done),
                Direction.ReadAt or Direction.ReadOnceAt => Interop.Libc.pread(Fd, start + done, length - done, offset + done),
                _ => Interop.Libc.pwrite(Fd, start + done, length - done, offset + done),
            };
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Libc.EINTR)
                    continue;
                string verb = direction is Direction.ReadAt or Direction.ReadOnceAt ? "read" : "write";
                throw new IOException($"{verb} {pathForErrors}: {Interop.Libc.ErrorText(errno)}", errno);
            }

            done += (int)n;
            if (n == 0 || direction == Direction.ReadOnceAt)
                break;
        }

        return done;
    }

    private static void WriteFully(int written, int length, string pathForErrors)
    {
        if (written < length)
            throw new IOException($"write {pathForErrors}: wrote {written} of {length} bytes");
    }

    /// <summary>Reads to end of file.</summary>
    public byte[] ReadAll(string pathForErrors)
    {
        // Most files read here (sysfs attributes, configs, state files) are a few hundred bytes: they are read on
        // the stack and copied out at their size, instead of each allocating and clearing a 16 KiB array.
        Span<byte> small = stackalloc byte[4096];
        int length = ReadUntilFullOrEnd(small, pathForErrors);
        if (length < small.Length)
            return small[..length].ToArray();

        byte[] buffer = GC.AllocateUninitializedArray<byte>(16 * 1024);
        small.CopyTo(buffer);
        while (true)
        {
            if (length == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);

            int n = ReadUntilFullOrEnd(buffer.AsSpan(length), pathForErrors);
            length += n;
            if (length < buffer.Length)
                return buffer.AsSpan(0, length).ToArray();
        }
    }

    // Reads until the span is full or the file ends (a read of 0); the count read.
    private unsafe int ReadUntilFullOrEnd(Span<byte> into, string pathForErrors)
    {
        int length = 0;
        fixed (byte* start = into)
        {
            while (length < into.Length)
            {
                nint n = Interop.Libc.read(Fd, start + length, into.Length - length);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Libc.EINTR)
                        continue;
                    throw new IOException($"read {pathForErrors}: {Interop.Libc.ErrorText(errno)}", errno);
                }

                if (n == 0)
                    break;
                length += (int)n;
            }
        }

        return length;
    }

    [SupportedOSPlatform("linux")]
    public void Sync(string pathForErrors)
    {
        if (Interop.Libc.fsync(Fd) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fsync {pathForErrors}: {Interop.Libc.ErrorText(errno)}", errno);
        }
    }

    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
