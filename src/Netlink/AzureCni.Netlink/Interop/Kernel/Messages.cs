using AzureCni.Netlink.Generation;

// Message bodies: a fixed header struct followed by an attribute set. A new message kind is one declaration.
namespace AzureCni.Netlink.Interop.Kernel;

/// <summary>RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK / RTM_SETLINK.</summary>
[NetlinkMessage(typeof(ifinfomsg), typeof(LinkAttributes))]
internal ref partial struct LinkMessage;

/// <summary>RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR.</summary>
[NetlinkMessage(typeof(ifaddrmsg), typeof(AddressAttributes))]
internal ref partial struct AddressMessage;

/// <summary>RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE.</summary>
[NetlinkMessage(typeof(rtmsg), typeof(RouteAttributes))]
internal ref partial struct RouteMessage;

/// <summary>RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE.</summary>
[NetlinkMessage(typeof(fib_rule_hdr), typeof(FibRuleAttributes))]
internal ref partial struct FibRuleMessage;

/// <summary>RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH.</summary>
[NetlinkMessage(typeof(ndmsg), typeof(NeighborAttributes))]
internal ref partial struct NeighborMessage;

/// <summary>VETH_INFO_PEER: an ifinfomsg and the peer's attributes, like a nested RTM_NEWLINK body.</summary>
[NetlinkMessage(typeof(ifinfomsg), typeof(VethPeerAttributes))]
internal ref partial struct VethPeerMessage;
