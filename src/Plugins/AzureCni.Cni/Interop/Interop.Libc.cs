using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AzureCni.Cni;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int O_CLOEXEC = 0x80000;
        internal const short POLLIN = 0x1;
        internal const short POLLOUT = 0x4;
        internal const short POLLERR = 0x8;
        internal const short POLLHUP = 0x10;
        internal const int SIGPIPE = 13;

        /// <summary>POSIX_SPAWN_SETSIGDEF (bits/spawn.h): reset the signals in the spawn attribute's default set.</summary>
        internal const short POSIX_SPAWN_SETSIGDEF = 0x04;

        /// <summary>POSIX_SPAWN_SETSIGMASK (bits/spawn.h): give the child the attribute's signal mask.</summary>
        internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint read(int fd, byte* buffer, nint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint write(int fd, byte* buffer, nint count);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int close(int fd);

        // <fcntl.h> flags on Linux (x86-64 and arm64 share these values).
        internal const int O_RDONLY = 0x0;
        internal const int O_WRONLY = 0x1;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_EXCL = 0x80;
        internal const int O_TRUNC = 0x200;
        internal const int O_APPEND = 0x400;
        internal const int O_DIRECTORY = 0x10000;

        // <sys/file.h>
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;
        internal const int LOCK_UN = 8;

        internal const int SEEK_END = 2;
        internal const int ENOENT = 2;
        internal const int EWOULDBLOCK = EAGAIN;

        // The file calls below serve only the Linux file primitives (Files/LinuxFilePrimitives): the attribute
        // makes the platform analyzer (CA1416) reject any path that could reach them on Windows.
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags, int mode);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int flock(int fd, int operation);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true)]
        internal static partial long lseek(int fd, long offset, int whence);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fsync(int fd);

        /// <summary>fdatasync(2): the data and the size, not the times (all a state journal's reader needs).</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fdatasync(int fd);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint pread(int fd, byte* buffer, nint count, long offset);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial nint pwrite(int fd, byte* buffer, nint count, long offset);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rename(string oldPath, string newPath);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int unlink(string path);

        /// <summary>RENAME_EXCHANGE (linux/fs.h): swap the two names atomically (both must exist).</summary>
        internal const uint RENAME_EXCHANGE = 2;

        internal const int EINVAL = 22;
        internal const int ENOSYS = 38;

        /// <summary>F_SETLEASE (fcntl.h): a write lease is granted only while no other open file description refers to the file.</summary>
        internal const int F_SETLEASE = 1024;
        internal const int F_WRLCK = 1;

        /// <summary>F_SETSIG (fcntl.h): the signal sent to the descriptor's owner, a lease holder whose lease is broken included.</summary>
        internal const int F_SETSIG = 10;

        /// <summary>SIGURG: ignored unless handled, which nothing in these processes does.</summary>
        internal const int SIGURG = 23;

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int fcntl(int fd, int command, int argument);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int ftruncate(int fd, long length);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

        [LibraryImport("libc")]
        internal static partial nint strerror(int errnum);

        internal static string ErrorText(int errno) =>
            Marshal.PtrToStringUTF8(strerror(errno)) ?? ("errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture));

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial int pipe2(int* fds, int flags);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial int waitpid(int pid, int* status, int options);

        [LibraryImport("libc", SetLastError = true)]
        internal static unsafe partial int access(byte* path, int mode);

        internal const int X_OK = 1;

        // posix_spawn returns the error number instead of setting errno.
        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawn_file_actions_init(void* fileActions);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawn_file_actions_destroy(void* fileActions);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawnattr_init(void* attr);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawnattr_destroy(void* attr);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawnattr_setflags(void* attr, short flags);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

        [LibraryImport("libc")]
        internal static unsafe partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

        [LibraryImport("libc")]
        internal static unsafe partial int sigemptyset(void* set);

        [LibraryImport("libc")]
        internal static unsafe partial int sigaddset(void* set, int signal);

        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            public int Fd;
            public short Events;
            public short REvents;
        }

        /// <summary>Opaque storage for posix_spawn_file_actions_t (80 bytes on glibc x86-64/arm64).</summary>
        [StructLayout(LayoutKind.Sequential, Size = 128)]
        internal struct SpawnFileActions;

        /// <summary>Opaque storage for posix_spawnattr_t (336 bytes on glibc x86-64/arm64).</summary>
        [StructLayout(LayoutKind.Sequential, Size = 512)]
        internal struct SpawnAttr;

        /// <summary>Opaque storage for sigset_t (128 bytes on glibc).</summary>
        [StructLayout(LayoutKind.Sequential, Size = 128)]
        internal struct SigSet;
    }
}
