using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // #define CLONE_NEWNET 0x40000000 (linux/sched.h)
        internal const int CLONE_NEWNET = 0x40000000;

        [LibraryImport(Libraries.Libc, EntryPoint = "setns", SetLastError = true)]
        internal static partial int SetNs(SafeHandle fd, int nstype);
    }
}
