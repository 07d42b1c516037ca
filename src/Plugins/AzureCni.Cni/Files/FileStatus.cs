using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace AzureCni.Cni.Files;

/// <summary>
/// What statx(2) and statfs(2) say about a path, read without opening it: opening a FIFO blocks until a
/// writer comes, so untrusted paths are looked at first.
/// </summary>
[SupportedOSPlatform("linux")]
public readonly record struct FileStatus(int Mode, ulong Inode, uint DevMajor, uint DevMinor)
{
    /// <summary>NSFS_MAGIC: the file system of network namespace files (/proc/PID/ns/net and its bind mounts).</summary>
    public const long NamespaceFileSystem = 0x6e736673;

    /// <summary>TMPFS_MAGIC: memory only, gone at the next boot (a node's /var/run).</summary>
    public const long TmpFileSystem = 0x01021994;

    public bool IsRegularFile => (Mode & Interop.Libc.S_IFMT) == Interop.Libc.S_IFREG;

    public bool SameFileAs(FileStatus other) => Inode == other.Inode && DevMajor == other.DevMajor && DevMinor == other.DevMinor;

    /// <summary>The status of the file the path names (links followed); null when it does not exist; IOException otherwise.</summary>
    public static unsafe FileStatus? Of(string path)
    {
        byte* buffer = stackalloc byte[Interop.Libc.StatxSize];
        if (Interop.Libc.statx(Interop.Libc.AT_FDCWD, path, 0, Interop.Libc.STATX_TYPE | Interop.Libc.STATX_INO, buffer) != 0)
            return NullWhenMissing(path);

        var bytes = new ReadOnlySpan<byte>(buffer, Interop.Libc.StatxSize);
        return new FileStatus(
            MemoryMarshal.Read<ushort>(bytes[Interop.Libc.StatxModeOffset..]),
            MemoryMarshal.Read<ulong>(bytes[Interop.Libc.StatxInoOffset..]),
            MemoryMarshal.Read<uint>(bytes[Interop.Libc.StatxDevMajorOffset..]),
            MemoryMarshal.Read<uint>(bytes[Interop.Libc.StatxDevMinorOffset..]));
    }

    /// <summary>The magic number of the file system the path is on; null when it does not exist.</summary>
    public static unsafe long? FileSystemOf(string path)
    {
        byte* buffer = stackalloc byte[256];
        if (Interop.Libc.statfs(path, buffer) != 0)
            return NullWhenMissing(path) is null ? null : 0;

        return MemoryMarshal.Read<long>(new ReadOnlySpan<byte>(buffer, 8));
    }

    private static FileStatus? NullWhenMissing(string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno is 2 or 20) // ENOENT, ENOTDIR
            return null;

        throw new IOException($"stat {path}: {Interop.Libc.ErrorText(errno)}", errno);
    }
}
