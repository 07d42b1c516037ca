using System.Runtime.InteropServices;

namespace AzureCni.Ipam;

/// <summary>A raw file descriptor opened with O_CLOEXEC, closed once.</summary>
internal sealed class FileDescriptor : SafeHandle
{
    private FileDescriptor() : base(-1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == -1;

    public int Fd => (int)handle;

    /// <summary>open(2); throws IOException naming the path and errno text.</summary>
    public static FileDescriptor Open(string path, int flags, int mode = 0)
    {
        int fd;
        do
        {
            fd = Interop.Libc.Open(path, flags | Interop.Libc.O_CLOEXEC, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Interop.Libc.EINTR);

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open {path}: {Interop.Libc.ErrorText(errno)}", errno);
        }

        var result = new FileDescriptor();
        result.SetHandle(fd);
        return result;
    }

    public unsafe void WriteAll(ReadOnlySpan<byte> data, string pathForErrors)
    {
        fixed (byte* start = data)
        {
            nint done = 0;
            while (done < data.Length)
            {
                nint n = Interop.Libc.Write(Fd, start + done, data.Length - done);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Libc.EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"write {pathForErrors}: {Interop.Libc.ErrorText(errno)}", errno);
                }

                done += n;
            }
        }
    }

    /// <summary>Reads to end of file.</summary>
    public unsafe byte[] ReadAll(string pathForErrors)
    {
        var buffer = new byte[16 * 1024];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            nint n;
            fixed (byte* start = buffer)
            {
                n = Interop.Libc.Read(Fd, start + length, buffer.Length - length);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Libc.EINTR)
                {
                    continue;
                }

                throw new IOException($"read {pathForErrors}: {Interop.Libc.ErrorText(errno)}", errno);
            }

            if (n == 0)
            {
                return buffer.AsSpan(0, length).ToArray();
            }

            length += (int)n;
        }
    }

    public void Sync(string pathForErrors)
    {
        if (Interop.Libc.Fsync(Fd) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fsync {pathForErrors}: {Interop.Libc.ErrorText(errno)}", errno);
        }
    }

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle) == 0;
}
