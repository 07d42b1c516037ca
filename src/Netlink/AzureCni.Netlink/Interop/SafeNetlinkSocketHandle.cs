using Microsoft.Win32.SafeHandles;

namespace AzureCni.Netlink.Interop;

/// <summary>Owns an AF_NETLINK socket descriptor.</summary>
internal sealed class SafeNetlinkSocketHandle : SafeHandleMinusOneIsInvalid
{
    public SafeNetlinkSocketHandle()
        : base(ownsHandle: true)
    {
    }

    internal SafeNetlinkSocketHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    protected override bool ReleaseHandle() => global::Interop.Libc.Close(handle) == 0;
}
