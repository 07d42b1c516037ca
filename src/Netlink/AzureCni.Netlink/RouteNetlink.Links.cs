using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>Lists every link, retrying while the kernel reports the dump as interrupted.</summary>
    /// <remarks>Equivalent to: <c>ip link show</c>.</remarks>
    public IReadOnlyList<LinkInfo> ListLinks()
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.Dump(ref writer);
        return Dump(buffer[..writer.Length], new NetlinkOperation("list links"), RTM.RTM_NEWLINK, ReplyDecoder.DecodeLink);
    }

    /// <summary>Gets a link by name; false when there is none.</summary>
    /// <remarks>Equivalent to: <c>ip link show dev NAME</c>.</remarks>
    public bool TryGetLink(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LinkInfo? link)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.Get(ref writer, 0, IfName.Encode(name, nameBytes));
        return TryGetLink(buffer[..writer.Length], new NetlinkOperation("get link", name), out link);
    }

    /// <summary>Gets a link by index; false when there is none.</summary>
    /// <remarks>Equivalent to: <c>ip link show</c> filtered to one ifindex.</remarks>
    public bool TryGetLink(int index, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LinkInfo? link)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.Get(ref writer, index, default);
        return TryGetLink(buffer[..writer.Length], new NetlinkOperation("get link", Index: index), out link);
    }

    /// <summary>Gets a link by name.</summary>
    /// <exception cref="NetlinkException">There is no such link (ENODEV).</exception>
    public LinkInfo GetLink(string name) =>
        TryGetLink(name, out LinkInfo? link) ? link : throw new NetlinkException(ERRNO.ENODEV, $"get link '{name}'");

    /// <summary>Gets a link by index.</summary>
    /// <exception cref="NetlinkException">There is no such link (ENODEV).</exception>
    public LinkInfo GetLink(int index) =>
        TryGetLink(index, out LinkInfo? link) ? link : throw new NetlinkException(ERRNO.ENODEV, $"get link (ifindex {index})");

    /// <summary>Creates a bridge.</summary>
    /// <remarks>Equivalent to: <c>ip link add NAME [mtu MTU] type bridge</c>.</remarks>
    public void AddBridge(string name, int? mtu = null) => AddSimpleLink(name, "bridge"u8, mtu, "add bridge");

    /// <summary>Creates a dummy link (needs CONFIG_DUMMY; kernels without it refuse with "Unknown device type").</summary>
    /// <remarks>Equivalent to: <c>ip link add NAME type dummy</c>.</remarks>
    public void AddDummy(string name, int? mtu = null) => AddSimpleLink(name, "dummy"u8, mtu, "add dummy link");

    /// <summary>Creates an ifb (intermediate functional block) link.</summary>
    /// <remarks>Equivalent to: <c>ip link add NAME type ifb</c>.</remarks>
    public void AddIfb(string name) => AddSimpleLink(name, "ifb"u8, null, "add ifb link");

    /// <summary>
    /// Creates a veth pair. The peer is created directly inside <paramref name="peerNamespace"/> (when given)
    /// under <paramref name="peerName"/>, so it never appears in this namespace.
    /// </summary>
    /// <remarks>Equivalent to: <c>ip link add NAME [address MAC] [mtu MTU] type veth peer name PEER [address PEERMAC] netns NS</c>.</remarks>
    public void AddVethPair(string name, string peerName, NetworkNamespace? peerNamespace = null,
        PhysicalAddress? macAddress = null, PhysicalAddress? peerMacAddress = null, int? mtu = null)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength], peerBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        ReadOnlySpan<byte> encodedName = IfName.Encode(name, nameBytes), encodedPeer = IfName.Encode(peerName, peerBytes);
        var writer = new NetlinkWriter(buffer);

        bool added = false;
        try
        {
            int? fd = null;
            if (peerNamespace is not null)
            {
                peerNamespace.Handle.DangerousAddRef(ref added);
                fd = (int)peerNamespace.Handle.DangerousGetHandle();
            }
            var peer = new VethPeerAttributes { Name = encodedPeer, Address = Mac(peerMacAddress), NetNsFd = fd };
            LinkRequests.AddVeth(ref writer, encodedName, Mac(macAddress), in peer, Mtu(mtu));
            Execute(ref writer, buffer, new NetlinkOperation("add veth link", name));
        }
        finally
        {
            if (added)
                peerNamespace!.Handle.DangerousRelease();
        }
    }

    /// <summary>Creates a macvlan on <paramref name="parentIndex"/>.</summary>
    /// <remarks>Equivalent to: <c>ip link add NAME link PARENT type macvlan mode MODE</c>.</remarks>
    public void AddMacvlan(string name, int parentIndex, MacvlanMode mode = MacvlanMode.Bridge, int? mtu = null)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.AddMacvlan(ref writer, IfName.Encode(name, nameBytes), parentIndex, mode, Mtu(mtu));
        Execute(ref writer, buffer, new NetlinkOperation("add macvlan link", name));
    }

    /// <summary>Creates a vxlan with the VNI and options of <paramref name="settings"/>.</summary>
    /// <remarks>Equivalent to: <c>ip link add NAME type vxlan id VNI dstport PORT [local IP] [group IP] [dev PARENT] [nolearning]</c>.</remarks>
    public void AddVxlan(string name, VxlanSettings settings, int? mtu = null)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        Span<byte> localBytes = stackalloc byte[16], groupBytes = stackalloc byte[16];
        scoped var data = new VxlanAttributes
        {
            Id = settings.Vni,
            Link = settings.ParentIndex,
            Learning = settings.Learning ? (byte)1 : (byte)0,
            Port = settings.Port,
        };
        ReadOnlySpan<byte> local = AddressEncoding.Bytes(settings.Local, localBytes), group = AddressEncoding.Bytes(settings.Group, groupBytes);
        if (local.Length == 16) data.Local6 = local; else data.Local = local;
        if (group.Length == 16) data.Group6 = group; else data.Group = group;
        var writer = new NetlinkWriter(buffer);
        LinkRequests.AddVxlan(ref writer, IfName.Encode(name, nameBytes), in data, Mtu(mtu));
        Execute(ref writer, buffer, new NetlinkOperation("add vxlan link", name));
    }

    /// <summary>Creates an 802.1Q vlan (needs CONFIG_VLAN_8021Q; kernels without it refuse with "Unknown device type").</summary>
    /// <remarks>Equivalent to: <c>ip link add NAME link PARENT type vlan id VLANID</c>.</remarks>
    public void AddVlan(string name, int parentIndex, ushort vlanId, int? mtu = null)
    {
        if (vlanId > 4095)
            throw new ArgumentOutOfRangeException(nameof(vlanId), vlanId, "VLAN ids are 0-4095.");
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.AddVlan(ref writer, IfName.Encode(name, nameBytes), parentIndex, vlanId, Mtu(mtu));
        Execute(ref writer, buffer, new NetlinkOperation("add vlan link", name));
    }

    /// <summary>Deletes a link by name; with <paramref name="missingOk"/> a link that does not exist is success.</summary>
    /// <returns>True when a link was deleted, false when it was already gone.</returns>
    /// <remarks>Equivalent to: <c>ip link del NAME</c>.</remarks>
    public bool DeleteLink(string name, bool missingOk = false)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.Delete(ref writer, 0, IfName.Encode(name, nameBytes));
        return ExecuteDelete(ref writer, buffer, new NetlinkOperation("delete link", name), missingOk);
    }

    /// <summary>Deletes a link by index; with <paramref name="missingOk"/> a link that does not exist is success.</summary>
    /// <remarks>Equivalent to: <c>ip link del dev NAME</c> for the link with that index.</remarks>
    public bool DeleteLink(int index, bool missingOk = false)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.Delete(ref writer, index, default);
        return ExecuteDelete(ref writer, buffer, new NetlinkOperation("delete link", Index: index), missingOk);
    }

    /// <summary>Sets a link administratively up.</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME up</c>.</remarks>
    public void SetLinkUp(int index) => SetLinkFlags(index, IFF.IFF_UP, "set link up");

    /// <summary>Sets a link administratively down.</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME down</c>.</remarks>
    public void SetLinkDown(int index) => SetLinkFlags(index, 0, "set link down");

    /// <summary>Sets a link's MTU.</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME mtu MTU</c>.</remarks>
    public void SetLinkMtu(int index, int mtu)
    {
        scoped var attributes = new LinkAttributes { Mtu = Mtu(mtu) };
        SetLink(index, in attributes, "set link mtu");
    }

    /// <summary>Sets a link's MAC address.</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME address MAC</c>.</remarks>
    public void SetLinkMacAddress(int index, PhysicalAddress macAddress)
    {
        scoped var attributes = new LinkAttributes { Address = Mac(macAddress) };
        if (attributes.Address.IsEmpty)
            throw new ArgumentException("The MAC address is empty.", nameof(macAddress));
        SetLink(index, in attributes, "set link address");
    }

    /// <summary>Renames a link (it must be down).</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME name NEWNAME</c>.</remarks>
    public void SetLinkName(int index, string name)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        scoped var attributes = new LinkAttributes { Name = IfName.Encode(name, nameBytes) };
        SetLink(index, in attributes, "rename link");
    }

    /// <summary>Enslaves a link to a master (a bridge).</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME master MASTER</c>.</remarks>
    public void SetLinkMaster(int index, int masterIndex)
    {
        if (masterIndex <= 0)
            throw new ArgumentOutOfRangeException(nameof(masterIndex), masterIndex, "Use SetLinkNoMaster to release a link.");
        scoped var attributes = new LinkAttributes { Master = masterIndex };
        SetLink(index, in attributes, "set link master");
    }

    /// <summary>Releases a link from its master.</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME nomaster</c>.</remarks>
    public void SetLinkNoMaster(int index)
    {
        scoped var attributes = new LinkAttributes { Master = 0 };
        SetLink(index, in attributes, "set link nomaster");
    }

    /// <summary>Moves a link into another network namespace (it keeps its name unless that is taken there).</summary>
    /// <remarks>Equivalent to: <c>ip link set dev NAME netns NS</c>.</remarks>
    public void MoveLinkToNamespace(int index, NetworkNamespace networkNamespace)
    {
        bool added = false;
        try
        {
            networkNamespace.Handle.DangerousAddRef(ref added);
            scoped var attributes = new LinkAttributes { NetNsFd = (int)networkNamespace.Handle.DangerousGetHandle() };
            SetLink(index, in attributes, "move link to namespace");
        }
        finally
        {
            if (added)
                networkNamespace.Handle.DangerousRelease();
        }
    }

    /// <summary>Turns hairpin mode of a bridge port on or off (frames may leave by the port they came in on).</summary>
    /// <remarks>Equivalent to: <c>bridge link set dev NAME hairpin on|off</c>.</remarks>
    public void SetBridgePortHairpin(int index, bool enabled)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.SetBridgePortHairpin(ref writer, index, enabled);
        Execute(ref writer, buffer, new NetlinkOperation("set bridge port hairpin", Index: index));
    }

    private bool TryGetLink(Span<byte> request, NetlinkOperation operation, out LinkInfo? link)
    {
        var holder = new System.Runtime.CompilerServices.StrongBox<LinkInfo?>();
        try
        {
            _client.Execute(request, operation, holder, static (box, type, payload) =>
            {
                if (type == RTM.RTM_NEWLINK)
                    box.Value = ReplyDecoder.DecodeLink(payload);
            });
        }
        catch (NetlinkException e) when (e.Errno == ERRNO.ENODEV)
        {
            link = null;
            return false;
        }
        link = holder.Value;
        return link is not null;
    }

    private void AddSimpleLink(string name, ReadOnlySpan<byte> kind, int? mtu, string action)
    {
        Span<byte> nameBytes = stackalloc byte[IfName.MaxLength];
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.AddSimple(ref writer, IfName.Encode(name, nameBytes), kind, Mtu(mtu));
        Execute(ref writer, buffer, new NetlinkOperation(action, name));
    }

    private void SetLinkFlags(int index, uint flags, string action)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.SetFlags(ref writer, index, flags, IFF.IFF_UP);
        Execute(ref writer, buffer, new NetlinkOperation(action, Index: index));
    }

    private void SetLink(int index, scoped in LinkAttributes attributes, string action)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        LinkRequests.Set(ref writer, index, in attributes);
        Execute(ref writer, buffer, new NetlinkOperation(action, Index: index));
    }

    private static uint? Mtu(int? mtu) => mtu switch
    {
        null => null,
        > 0 => (uint)mtu.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(mtu), mtu, "The MTU must be positive."),
    };

    private static ReadOnlySpan<byte> Mac(PhysicalAddress? address) => address is null ? default : address.GetAddressBytes();
}
