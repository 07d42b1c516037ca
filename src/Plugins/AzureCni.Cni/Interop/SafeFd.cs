using System.Runtime.InteropServices;

namespace AzureCni.Cni;

/// <summary>An owned file descriptor (a pipe end), closed exactly once.</summary>
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

    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
