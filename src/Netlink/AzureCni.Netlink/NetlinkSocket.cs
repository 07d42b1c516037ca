using System.Runtime.InteropServices;
using AzureCni.Netlink.Interop;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket bound in the network namespace of the thread that opened it; usable from any thread
/// afterwards. Sets NETLINK_CAP_ACK, NETLINK_EXT_ACK and NETLINK_GET_STRICT_CHK.
/// </summary>
internal sealed class NetlinkSocket : INetlinkTransport
{
    // The kernel caps a dump skb at 32 KiB; twice that leaves room, and MSG_TRUNC catches anything larger.
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly SafeNetlinkSocketHandle _handle;
    private readonly byte[] _receiveBuffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);

    private NetlinkSocket(SafeNetlinkSocketHandle handle, uint portId)
    {
        _handle = handle;
        PortId = portId;
    }

    /// <summary>The port id the kernel assigned at bind time; replies carry it in nlmsg_pid.</summary>
    public uint PortId { get; }

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open() => Open(NETLINK.NETLINK_ROUTE);

    /// <summary>Opens a socket of another netlink protocol (e.g. NETLINK_NETFILTER) in the calling thread's namespace.</summary>
    public static unsafe NetlinkSocket Open(int protocol)
    {
        int fd = global::Interop.Libc.Socket(AF.AF_NETLINK, global::Interop.Libc.SOCK_RAW | global::Interop.Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
            throw new NetlinkException(Marshal.GetLastPInvokeError(), "open netlink socket");
        var handle = new SafeNetlinkSocketHandle(fd);
        try
        {
            int one = 1;
            foreach (int option in (ReadOnlySpan<int>)[NETLINK.NETLINK_CAP_ACK, NETLINK.NETLINK_EXT_ACK, NETLINK.NETLINK_GET_STRICT_CHK])
            {
                if (global::Interop.Libc.SetSockOpt(handle, NETLINK.SOL_NETLINK, option, &one, sizeof(int)) != 0)
                    throw new NetlinkException(Marshal.GetLastPInvokeError(), "set netlink socket option " + option);
            }

            var address = new global::Interop.Libc.SockAddrNetlink { Family = AF.AF_NETLINK };
            uint length = (uint)sizeof(global::Interop.Libc.SockAddrNetlink);
            if (global::Interop.Libc.Bind(handle, &address, length) != 0)
                throw new NetlinkException(Marshal.GetLastPInvokeError(), "bind netlink socket");
            if (global::Interop.Libc.GetSockName(handle, &address, &length) != 0)
                throw new NetlinkException(Marshal.GetLastPInvokeError(), "read netlink port id");
            return new NetlinkSocket(handle, address.PortId);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    public unsafe void Send(ReadOnlySpan<byte> request, NetlinkOperation operation)
    {
        var kernel = new global::Interop.Libc.SockAddrNetlink { Family = AF.AF_NETLINK };
        fixed (byte* buffer = request)
        {
            while (true)
            {
                nint sent = global::Interop.Libc.SendTo(_handle, buffer, (nuint)request.Length, 0, &kernel, (uint)sizeof(global::Interop.Libc.SockAddrNetlink));
                if (sent >= 0)
                    return;
                int errno = Marshal.GetLastPInvokeError();
                if (errno != ERRNO.EINTR)
                    throw new NetlinkException(errno, operation.ToString() + " (send)");
            }
        }
    }

    public unsafe ReadOnlySpan<byte> Receive(NetlinkOperation operation)
    {
        fixed (byte* buffer = _receiveBuffer)
        {
            while (true)
            {
                nint received = global::Interop.Libc.Recv(_handle, buffer, (nuint)_receiveBuffer.Length, global::Interop.Libc.MSG_TRUNC);
                if (received > _receiveBuffer.Length)
                    throw new NetlinkException(ERRNO.ENOBUFS, operation.ToString(), $"reply of {received} bytes exceeds the {_receiveBuffer.Length}-byte buffer");
                if (received >= 0)
                    return _receiveBuffer.AsSpan(0, (int)received);
                int errno = Marshal.GetLastPInvokeError();
                if (errno != ERRNO.EINTR)
                    throw new NetlinkException(errno, operation.ToString() + " (receive)");
            }
        }
    }
}
