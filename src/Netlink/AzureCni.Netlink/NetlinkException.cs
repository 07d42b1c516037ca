using System.Runtime.InteropServices;

namespace AzureCni.Netlink;

/// <summary>
/// The kernel refused a netlink request, or the socket failed: <see cref="Errno"/> is the positive errno and
/// <see cref="ExtendedAck"/> the kernel's extended-ack text (e.g. "Unknown device type") when it sent one.
/// </summary>
public class NetlinkException : Exception
{
    public NetlinkException(int errno, string operation, string? extendedAck = null)
        : base(Format(errno, operation, extendedAck))
    {
        Errno = errno;
        Operation = operation;
        ExtendedAck = extendedAck;
    }

    /// <summary>The positive errno, e.g. 17 (EEXIST).</summary>
    public int Errno { get; }

    /// <summary>What was being done, e.g. "add veth link 'eth0'".</summary>
    public string Operation { get; }

    /// <summary>The kernel's explanation (NLMSGERR_ATTR_MSG), or null.</summary>
    public string? ExtendedAck { get; }

    /// <summary>The object named by the request does not exist (ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL).</summary>
    public bool IsNotFound => Errno is Interop.Kernel.ERRNO.ENODEV or Interop.Kernel.ERRNO.ENOENT
        or Interop.Kernel.ERRNO.ESRCH or Interop.Kernel.ERRNO.EADDRNOTAVAIL;

    /// <summary>The object being created already exists (EEXIST).</summary>
    public bool IsAlreadyExists => Errno == Interop.Kernel.ERRNO.EEXIST;

    private static string Format(int errno, string operation, string? extendedAck)
    {
        string text = $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return extendedAck is null ? text : text + ": " + extendedAck;
    }
}

/// <summary>A dump stayed inconsistent (NLM_F_DUMP_INTR) after every retry.</summary>
public sealed class NetlinkDumpInterruptedException(string operation)
    : NetlinkException(Interop.Kernel.ERRNO.EINTR, operation, "dump interrupted by concurrent changes");
