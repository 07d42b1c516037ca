using System.Net;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Netlink;
using AzureCni.Vnet.Linux.Kernel;

namespace AzureCni.Vnet.Linux;

/// <summary>The node NIC a network's pods reach the VNet through.</summary>
internal static class MasterInterface
{
    /// <summary>
    /// The named one (the network's record, else the config), or the NIC holding an address in the IPAM's
    /// <paramref name="subnet"/>, or the NIC of the default route.
    /// </summary>
    public static LinkInfo Find(IRouteNetlinkOps host, string? name, IPNetwork subnet)
    {
        if (name is not null)
        {
            return host.TryGetLink(name, out var named) ? named
                : throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: master interface {name} not found");
        }

        foreach (var address in host.ListAddresses())
        {
            if (subnet.Contains(address.Address) && host.TryGetLink(address.InterfaceIndex, out var holder) && holder.Name != "lo")
            {
                if (holder.Kind != "bridge")
                    return holder;

                // Bridge mode already set up (its state lost, or a killed setup finished by a later call): the master
                // is the bridge's port that is not a pod's host veth.
                var port = BridgePort(host, holder);
                if (port is not null)
                    return port;
            }
        }

        // The IPAM subnet may be a local pod subnet that no NIC holds: the NIC of the default route then.
        var defaultRoute = host.ListRoutes(subnet.BaseAddress.AddressFamily).Find(r => r.Destination is null && r.OutputInterfaceIndex is not null);
        if (defaultRoute is not null && host.TryGetLink(defaultRoute.OutputInterfaceIndex!.Value, out var viaDefault))
            return viaDefault;

        throw new CniException(CniErrorCode.InvalidNetworkConfig,
            $"azure-vnet: no interface holds an address in {subnet} and there is no default route; set \"master\" in the config");
    }

    /// <summary>The bridge's port that is the master: not a pod veth of ours (the master itself may be a veth, as in a test bed).</summary>
    public static LinkInfo? BridgePort(IRouteNetlinkOps host, LinkInfo bridge) =>
        host.ListLinks().Find(l => l.MasterIndex == bridge.Index && !l.Name.StartsWith(HostNames.VethPrefix, StringComparison.Ordinal));
}
