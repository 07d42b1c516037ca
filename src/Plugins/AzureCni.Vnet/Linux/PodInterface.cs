using System.Net.Sockets;
using AzureCni.Netlink;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// The pod's end of an attachment after DEL. DEL never deletes the veth: deleting a net device waits a whole RCU
/// grace period in the kernel, while the runtime's namespace deletion frees the pair in a background worker,
/// batched with every other device of the dying namespaces. A namespace the runtime keeps is left holding an
/// unconfigured interface, which the next ADD of that name replaces and GC removes.
/// </summary>
internal static class PodInterface
{
    /// <summary>
    /// Sets the interface down and removes its addresses and routes, when the namespace and the link still exist and
    /// the link is still the attachment's (<paramref name="mac"/>; empty when an ADD died before it was known).
    /// </summary>
    public static void Deconfigure(ILinuxKernel kernel, string netnsPath, string ifName, string mac)
    {
        if (!kernel.TryOpenNamespace(netnsPath, out var ns))
        {
            return;
        }

        using (ns)
        using (var inside = ns.OpenRouteNetlink())
        {
            if (!inside.TryGetLink(ifName, out var link) || (mac.Length > 0 && LinuxContext.Mac(link.MacAddress) != mac))
            {
                return;
            }

            // Down first: the kernel then drops the link's routes and IPv6 addresses itself.
            if (link.IsUp)
            {
                inside.SetLinkDown(link.Index);
            }

            foreach (var address in inside.ListAddresses(link.Index))
            {
                inside.DeleteAddress(link.Index, address.Address, address.PrefixLength, missingOk: true);
            }

            foreach (var family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
            {
                foreach (var route in inside.ListRoutes(family))
                {
                    if (route.OutputInterfaceIndex == link.Index)
                    {
                        inside.DeleteRoute(route, missingOk: true);
                    }
                }
            }
        }
    }

    /// <summary>
    /// True when <paramref name="podLink"/> is the pod end of a veth of ours that no live attachment owns: what a DEL
    /// leaves in a namespace the runtime kept (podman network disconnect, then connect).
    /// </summary>
    public static bool IsLeftover(IRouteNetlinkOps host, LinkInfo podLink, VnetState state) =>
        podLink.Kind == "veth"
        && podLink.ParentIndex is { } peer
        && host.TryGetLink(peer, out var hostEnd)
        && hostEnd.Kind == "veth"
        && hostEnd.ParentIndex == podLink.Index
        && hostEnd.Name.StartsWith(HostNames.VethPrefix, StringComparison.Ordinal)
        && !state.Endpoints.Exists(e => e.HostIfName == hostEnd.Name);
}
