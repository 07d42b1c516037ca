using System.Runtime.InteropServices;

namespace AzureCni.Cni;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int AT_FDCWD = -100;
        internal const int O_NONBLOCK = 0x800;

        // struct statx has the same layout on every architecture (unlike struct stat).
        internal const int StatxSize = 256;
        internal const int StatxModeOffset = 28;
        internal const int StatxInoOffset = 32;
        internal const int StatxDevMajorOffset = 136;
        internal const int StatxDevMinorOffset = 140;
        internal const uint STATX_TYPE = 0x1;
        internal const uint STATX_INO = 0x100;
        internal const int S_IFMT = 0xF000;
        internal const int S_IFREG = 0x8000;

        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int statx(int dirFd, string path, int flags, uint mask, byte* buffer);

        // f_type is the first field of struct statfs on every 64-bit Linux.
        [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int statfs(string path, byte* buffer);
    }
}
