using System.Net;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*ADDR requests.</summary>
internal static class AddressRequests
{
    // #define IFA_F_NODAD 0x02 (linux/if_addr.h)
    public const uint IFA_F_NODAD = 0x02;

    /// <summary>RTM_NEWADDR / RTM_DELADDR carrying IFA_LOCAL and IFA_ADDRESS (equal for a non-peer address), as iproute2 sends.</summary>
    public static void Modify(ref NetlinkWriter writer, ushort messageType, ushort flags, in AddressChange change)
    {
        (int index, IPAddress address, int prefixLength, RouteScope scope, bool noDad) = change;
        byte family = AddressEncoding.FamilyOf(address);
        int maxPrefix = family == AF.AF_INET6 ? 128 : 32;
        if ((uint)prefixLength > (uint)maxPrefix)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"Prefix length must be 0-{maxPrefix}.");

        Span<byte> bytes = stackalloc byte[16];
        ReadOnlySpan<byte> addressBytes = AddressEncoding.Bytes(address, bytes);
        writer.BeginMessage(messageType, flags);
        scoped var message = new AddressMessage
        {
            // Flags that fit a byte go in the header, as iproute2 does; IFA_FLAGS is only needed above 0xff.
            Header = new ifaddrmsg
            {
                ifa_family = family,
                ifa_prefixlen = (byte)prefixLength,
                ifa_flags = noDad ? (byte)IFA_F_NODAD : (byte)0,
                ifa_scope = (byte)scope,
                ifa_index = index,
            },
        };
        message.Attributes.Local = addressBytes;
        message.Attributes.Address = addressBytes;
        AddressMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_GETADDR dump for one family (AF_UNSPEC for both), narrowed to <paramref name="index"/> when not 0 (strict checking).</summary>
    public static void Dump(ref NetlinkWriter writer, byte family, int index)
    {
        writer.BeginMessage(RTM.RTM_GETADDR, RequestFlags.Dump);
        writer.WriteStruct(new ifaddrmsg { ifa_family = family, ifa_index = index });
        writer.EndMessage();
    }
}

/// <summary>The address an RTM_NEWADDR / RTM_DELADDR names; a struct, so a request allocates nothing.</summary>
internal readonly record struct AddressChange(int Index, IPAddress Address, int PrefixLength, RouteScope Scope, bool NoDad);
