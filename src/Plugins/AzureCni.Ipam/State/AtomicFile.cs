using System.Runtime.InteropServices;

namespace AzureCni.Ipam.State;

/// <summary>
/// Crash-safe whole-file state I/O shared by both plugins' state files (azure-vnet-ipam.json, azure-vnet.json):
/// a reader, or a crash, sees the old or the new content, never a torn one.
/// </summary>
public static class AtomicFile
{
    /// <summary>The file's bytes, or null when it does not exist (read through a raw fd: no FileStream buffering).</summary>
    public static byte[]? ReadOrNull(string path)
    {
        try
        {
            using var fd = FileDescriptor.Open(path, Interop.Libc.O_RDONLY);
            return fd.ReadAll(path);
        }
        catch (IOException e) when (e.HResult == Interop.Libc.ENOENT)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="bytes"/>: write to PATH.tmp, fsync, rename over the
    /// file, fsync the directory. Call with the file's lock held: one fixed temp name is then enough, and
    /// O_TRUNC reuses whatever a killed writer left.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        string directory = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temp = path + ".tmp";
        try
        {
            using (var fd = FileDescriptor.Open(temp, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_TRUNC, 0x180 /* 0600 */))
            {
                fd.WriteAll(bytes, temp);
                fd.Sync(temp);
            }

            if (Interop.Libc.Rename(temp, path) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"rename {temp} to {path}: {Interop.Libc.ErrorText(errno)}", errno);
            }
        }
        catch
        {
            Interop.Libc.Unlink(temp);
            throw;
        }

        // The rename is durable only once the directory entry is.
        using var dir = FileDescriptor.Open(directory, Interop.Libc.O_RDONLY | Interop.Libc.O_DIRECTORY);
        dir.Sync(directory);
    }
}
