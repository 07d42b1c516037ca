using System.Runtime.InteropServices;

namespace AzureCni.Ipam;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // <fcntl.h> flags on Linux (x86-64 / arm64 share these values).
        internal const int O_RDONLY = 0x0;
        internal const int O_WRONLY = 0x1;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_EXCL = 0x80;
        internal const int O_TRUNC = 0x200;
        internal const int O_DIRECTORY = 0x10000;
        internal const int O_CLOEXEC = 0x80000;

        // <sys/file.h>
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;
        internal const int LOCK_UN = 8;

        // <errno.h>
        internal const int EINTR = 4;
        internal const int ENOENT = 2;
        internal const int EAGAIN = 11;
        internal const int EWOULDBLOCK = EAGAIN;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);

        [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(int fd, int operation);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        internal static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        internal static unsafe partial nint Write(int fd, byte* buffer, nint count);

        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        internal static unsafe partial nint Read(int fd, byte* buffer, nint count);

        [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Rename(string oldPath, string newPath);

        [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Unlink(string path);

        [LibraryImport("libc", EntryPoint = "getpid")]
        internal static partial int GetPid();

        [LibraryImport("libc", EntryPoint = "strerror")]
        internal static partial nint StrError(int errnum);

        internal static string ErrorText(int errno) =>
            Marshal.PtrToStringUTF8(StrError(errno)) ?? ("errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
