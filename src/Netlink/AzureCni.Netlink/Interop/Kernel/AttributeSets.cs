using AzureCni.Netlink.Generation;

// Attribute families, one field per attribute this library reads or writes; the generator emits the codecs.
// Types follow the kernel's nla_policy / fill functions exactly, since decoding checks payload sizes.
// Fields are written in declaration order, which follows iproute2's so requests match what `ip` sends.
// To support a new attribute, add a field here; see src/Netlink/README.md.
namespace AzureCni.Netlink.Interop.Kernel;

/// <summary>Top-level attributes of RTM_*LINK messages.</summary>
[NetlinkAttributeSet]
internal ref partial struct LinkAttributes
{
    [NetlinkAttribute(IFLA.IFLA_ADDRESS)] public ReadOnlySpan<byte> Address;
    [NetlinkAttribute(IFLA.IFLA_BROADCAST)] public ReadOnlySpan<byte> Broadcast;
    [NetlinkAttribute(IFLA.IFLA_MTU)] public uint? Mtu;
    [NetlinkAttribute(IFLA.IFLA_IFNAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(IFLA.IFLA_LINK)] public int? Link;
    [NetlinkAttribute(IFLA.IFLA_MASTER)] public int? Master;
    [NetlinkAttribute(IFLA.IFLA_TXQLEN)] public uint? TxQueueLength;
    [NetlinkAttribute(IFLA.IFLA_OPERSTATE)] public byte? OperState;
    [NetlinkAttribute(IFLA.IFLA_LINKMODE)] public byte? LinkMode;
    [NetlinkAttribute(IFLA.IFLA_NET_NS_FD)] public int? NetNsFd;
    [NetlinkAttribute(IFLA.IFLA_EXT_MASK)] public uint? ExtMask;
    [NetlinkAttribute(IFLA.IFLA_PROMISCUITY)] public uint? Promiscuity;
    [NetlinkAttribute(IFLA.IFLA_CARRIER)] public byte? Carrier;
    [NetlinkAttribute(IFLA.IFLA_LINK_NETNSID)] public int? LinkNetNsId;
    [NetlinkAttribute(IFLA.IFLA_MIN_MTU)] public uint? MinMtu;
    [NetlinkAttribute(IFLA.IFLA_MAX_MTU)] public uint? MaxMtu;
    [NetlinkAttribute(IFLA.IFLA_LINKINFO)] public LinkInfoAttributes LinkInfo;
    [NetlinkAttribute(IFLA.IFLA_PROTINFO, Encoding = NetlinkEncoding.NestedWithFlag)] public BridgePortAttributes BridgePort;
}

/// <summary>
/// Nested in IFLA_LINKINFO. IFLA_INFO_DATA's family depends on the kind, so each kind's data is its own field
/// (<see cref="NetlinkAttributeAttribute.ForKind"/>): set one, and the kind is written from it.
/// </summary>
[NetlinkAttributeSet]
internal ref partial struct LinkInfoAttributes
{
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_KIND, Encoding = NetlinkEncoding.String, SelectsKind = true)] public ReadOnlySpan<byte> Kind;
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_DATA, ForKind = "veth")] public VethAttributes Veth;
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_DATA, ForKind = "macvlan")] public MacvlanAttributes Macvlan;
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_DATA, ForKind = "vxlan")] public VxlanAttributes Vxlan;
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_DATA, ForKind = "vlan")] public VlanAttributes Vlan;
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_SLAVE_KIND, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> SlaveKind;
    [NetlinkAttribute(IFLA_INFO.IFLA_INFO_SLAVE_DATA)] public ReadOnlySpan<byte> SlaveData;
}

/// <summary>veth's IFLA_INFO_DATA: the peer, created with the pair.</summary>
[NetlinkAttributeSet]
internal ref partial struct VethAttributes
{
    [NetlinkAttribute(VETH_INFO.VETH_INFO_PEER)] public VethPeerMessage Peer;
}

/// <summary>
/// The peer end of a veth pair, a link's attributes as a request sets them. Not <see cref="LinkAttributes"/>
/// itself: a struct cannot contain itself (LinkAttributes -> LinkInfo -> Veth -> Peer).
/// </summary>
[NetlinkAttributeSet]
internal ref partial struct VethPeerAttributes
{
    [NetlinkAttribute(IFLA.IFLA_ADDRESS)] public ReadOnlySpan<byte> Address;
    [NetlinkAttribute(IFLA.IFLA_MTU)] public uint? Mtu;
    [NetlinkAttribute(IFLA.IFLA_IFNAME, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Name;
    [NetlinkAttribute(IFLA.IFLA_NET_NS_FD)] public int? NetNsFd;
}

/// <summary>macvlan's IFLA_INFO_DATA.</summary>
[NetlinkAttributeSet]
internal partial struct MacvlanAttributes
{
    [NetlinkAttribute(IFLA_MACVLAN.IFLA_MACVLAN_MODE)] public uint? Mode;
    [NetlinkAttribute(IFLA_MACVLAN.IFLA_MACVLAN_FLAGS)] public ushort? Flags;
}

/// <summary>vxlan's IFLA_INFO_DATA.</summary>
[NetlinkAttributeSet]
internal ref partial struct VxlanAttributes
{
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_ID)] public uint? Id;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_GROUP)] public ReadOnlySpan<byte> Group;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_LINK)] public int? Link;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_LOCAL)] public ReadOnlySpan<byte> Local;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_TTL)] public byte? Ttl;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_LEARNING)] public byte? Learning;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_PORT, Encoding = NetlinkEncoding.BigEndian)] public ushort? Port;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_GROUP6)] public ReadOnlySpan<byte> Group6;
    [NetlinkAttribute(IFLA_VXLAN.IFLA_VXLAN_LOCAL6)] public ReadOnlySpan<byte> Local6;
}

/// <summary>vlan's IFLA_INFO_DATA.</summary>
[NetlinkAttributeSet]
internal partial struct VlanAttributes
{
    [NetlinkAttribute(IFLA_VLAN.IFLA_VLAN_ID)] public ushort? Id;
    [NetlinkAttribute(IFLA_VLAN.IFLA_VLAN_PROTOCOL, Encoding = NetlinkEncoding.BigEndian)] public ushort? Protocol;
}

/// <summary>Bridge port settings (IFLA_PROTINFO of an AF_BRIDGE message).</summary>
[NetlinkAttributeSet]
internal partial struct BridgePortAttributes
{
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_STATE)] public byte? State;
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_PRIORITY)] public ushort? Priority;
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_COST)] public uint? Cost;
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_MODE)] public byte? Hairpin;
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_GUARD)] public byte? Guard;
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_LEARNING)] public byte? Learning;
    [NetlinkAttribute(IFLA_BRPORT.IFLA_BRPORT_PROXYARP)] public byte? ProxyArp;
}

/// <summary>Attributes of RTM_*ADDR messages.</summary>
[NetlinkAttributeSet]
internal ref partial struct AddressAttributes
{
    [NetlinkAttribute(IFA.IFA_LOCAL)] public ReadOnlySpan<byte> Local;
    [NetlinkAttribute(IFA.IFA_ADDRESS)] public ReadOnlySpan<byte> Address;
    [NetlinkAttribute(IFA.IFA_LABEL, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Label;
    [NetlinkAttribute(IFA.IFA_BROADCAST)] public ReadOnlySpan<byte> Broadcast;
    [NetlinkAttribute(IFA.IFA_CACHEINFO)] public ifa_cacheinfo? CacheInfo;
    [NetlinkAttribute(IFA.IFA_FLAGS)] public uint? Flags;
}

/// <summary>Attributes of RTM_*ROUTE messages.</summary>
[NetlinkAttributeSet]
internal ref partial struct RouteAttributes
{
    [NetlinkAttribute(RTA.RTA_DST)] public ReadOnlySpan<byte> Destination;
    [NetlinkAttribute(RTA.RTA_SRC)] public ReadOnlySpan<byte> Source;
    [NetlinkAttribute(RTA.RTA_GATEWAY)] public ReadOnlySpan<byte> Gateway;
    [NetlinkAttribute(RTA.RTA_PREFSRC)] public ReadOnlySpan<byte> PreferredSource;
    [NetlinkAttribute(RTA.RTA_PRIORITY)] public uint? Priority;
    [NetlinkAttribute(RTA.RTA_TABLE)] public uint? Table;
    [NetlinkAttribute(RTA.RTA_OIF)] public int? OutputInterface;
    [NetlinkAttribute(RTA.RTA_IIF)] public int? InputInterface;
}

/// <summary>Attributes of RTM_*RULE messages (FRA_*).</summary>
[NetlinkAttributeSet]
internal ref partial struct FibRuleAttributes
{
    [NetlinkAttribute(FRA.FRA_PRIORITY)] public uint? Priority;
    [NetlinkAttribute(FRA.FRA_FWMARK)] public uint? FwMark;
    [NetlinkAttribute(FRA.FRA_TABLE)] public uint? Table;
    [NetlinkAttribute(FRA.FRA_FWMASK)] public uint? FwMask;
}

/// <summary>Attributes of RTM_*NEIGH messages.</summary>
[NetlinkAttributeSet]
internal ref partial struct NeighborAttributes
{
    [NetlinkAttribute(NDA.NDA_DST)] public ReadOnlySpan<byte> Destination;
    [NetlinkAttribute(NDA.NDA_LLADDR)] public ReadOnlySpan<byte> LinkLayerAddress;
    [NetlinkAttribute(NDA.NDA_PROBES)] public uint? Probes;
    [NetlinkAttribute(NDA.NDA_IFINDEX)] public int? InterfaceIndex;
}

/// <summary>Extended-ack attributes after an <c>nlmsgerr</c> (NETLINK_EXT_ACK).</summary>
[NetlinkAttributeSet]
internal ref partial struct ExtendedAckAttributes
{
    [NetlinkAttribute(NLMSGERR_ATTR.NLMSGERR_ATTR_MSG, Encoding = NetlinkEncoding.String)] public ReadOnlySpan<byte> Message;
    [NetlinkAttribute(NLMSGERR_ATTR.NLMSGERR_ATTR_OFFS)] public uint? Offset;
    [NetlinkAttribute(NLMSGERR_ATTR.NLMSGERR_ATTR_MISS_TYPE)] public uint? MissingType;
}
