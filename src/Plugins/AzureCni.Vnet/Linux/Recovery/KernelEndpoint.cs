using System.Net.Sockets;
using AzureCni.Cni.Types;
using AzureCni.Netlink;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Linux.Recovery;

/// <summary>
/// An attachment's record as the kernel shows it, for when the state cannot say (a damaged or newer file, an entry
/// lost): its host veth has a deterministic name (<see cref="HostNames"/>), its mode is whether that veth is a bridge
/// port, and its addresses are the pod interface's, else the host routes to the veth.
/// </summary>
internal static class KernelEndpoint
{
    /// <summary>
    /// Completes <paramref name="seed"/> (network, container, interface, host veth; netns, MAC and addresses when
    /// known) from the kernel; false when its host veth does not exist.
    /// </summary>
    public static bool TryComplete(ILinuxKernel kernel, IRouteNetlinkOps host, EndpointRecord seed)
    {
        if (!host.TryGetLink(seed.HostIfName, out var veth) || veth.Kind != "veth")
            return false;

        LinkInfo? bridge = null;
        if (veth.MasterIndex is { } masterIndex && host.TryGetLink(masterIndex, out var master) && master.Kind == "bridge")
            bridge = master;

        seed.Mode = bridge is null ? EndpointModes.TransparentName : EndpointModes.BridgeName;
        seed.Bridge = bridge?.Name ?? "";
        seed.Master = bridge is null ? "" : MasterInterface.BridgePort(host, bridge)?.Name ?? "";
        if (seed.Addresses.Count == 0 || seed.Mac.Length == 0)
            ReadPod(kernel, veth, seed);
        if (seed.Addresses.Count == 0 && bridge is null)
            seed.Addresses = HostRoutes(host, veth.Index);
        seed.Pending = false;
        return true;
    }

    // The pod end of the veth, in the namespace the seed names, when it is still the veth's peer.
    private static void ReadPod(ILinuxKernel kernel, LinkInfo veth, EndpointRecord seed)
    {
        if (seed.Netns.Length == 0 || !kernel.TryOpenNamespace(seed.Netns, out var ns))
            return;

        using (ns)
        using (var inside = ns.OpenRouteNetlink())
        {
            if (!inside.TryGetLink(seed.IfName, out var pod) || pod.ParentIndex != veth.Index)
                return;
            if (seed.Mac.Length == 0)
                seed.Mac = LinuxContext.Mac(pod.MacAddress);
            if (seed.Addresses.Count == 0)
            {
                var addresses = new List<string>();
                foreach (var address in inside.ListAddresses(pod.Index))
                {
                    if (address.Scope == RouteScope.Universe)
                        addresses.Add(new IPNetworkAddress(address.Address, address.PrefixLength).ToString());
                }
                seed.Addresses = addresses;
            }
        }
    }

    // Transparent mode routes each pod address to its veth: ip route add <pod>/32 dev <veth>.
    private static List<string> HostRoutes(IRouteNetlinkOps host, int vethIndex)
    {
        var routes = new List<string>();
        foreach (var family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
        {
            foreach (var r in host.ListRoutes(family))
            {
                if (r.OutputInterfaceIndex == vethIndex && r.Destination is not null
                    && r.DestinationPrefixLength == (r.Destination.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
                    routes.Add(new IPNetworkAddress(r.Destination, r.DestinationPrefixLength).ToString());
            }
        }
        return routes;
    }
}
