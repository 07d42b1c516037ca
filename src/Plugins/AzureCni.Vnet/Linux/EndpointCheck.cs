using System.Net;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Vnet.Config;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// CHECK: the attachment's state entry is complete, both veth ends exist, the container end is up with its MAC,
/// addresses and routes, the mode's own objects (<see cref="IEndpointMode.Check"/>) and the port-mapping rules are in
/// place. The first thing missing is the error.
/// </summary>
internal sealed class EndpointCheck(LinuxContext context, CniRequest request, VnetConfig config)
{
    public void Run()
    {
        var state = context.Store.Read();
        BridgeNode.CompleteUnfinished(context, state);
        var record = state.FindEndpoint(config.Network, request.ContainerId, request.IfName);
        if (record is null || record.Pending)
            throw LinuxContext.Missing($"no endpoint for container {request.ContainerId} interface {request.IfName} on network {config.Network}");

        var addresses = LinuxContext.Addresses(record);
        var mode = EndpointModes.For(EndpointModes.Parse(record.Mode), context);
        using var host = context.Kernel.OpenNode();
        if (!host.TryGetLink(record.HostIfName, out var hostLink))
            throw LinuxContext.Missing($"host interface {record.HostIfName} missing");
        if (!context.Kernel.TryOpenNamespace(request.Netns, out var container))
            throw LinuxContext.Missing($"network namespace {request.Netns} missing");

        using (container)
        using (var inside = container.OpenRouteNetlink())
        {
            if (!inside.TryGetLink(request.IfName, out var link))
                throw LinuxContext.Missing($"container interface {request.IfName} missing in {request.Netns}");
            if (!link.IsUp)
                throw LinuxContext.Missing($"container interface {request.IfName} is down");
            if (!string.Equals(LinuxContext.Mac(link.MacAddress), record.Mac, StringComparison.Ordinal))
                throw LinuxContext.Missing($"container interface {request.IfName} has MAC {LinuxContext.Mac(link.MacAddress)}, expected {record.Mac}");

            var present = inside.ListAddresses(link.Index);
            foreach (var address in addresses)
            {
                if (!present.Exists(p => p.Address.Equals(address.Address) && p.PrefixLength == address.PrefixLength))
                    throw LinuxContext.Missing($"address {address} missing on container interface {request.IfName}");
            }

            var routes = inside.ListRoutes(AddressFamily.InterNetwork);
            if (AzureCni.Cni.Types.IPNetworkAddress.AnyIPv6(addresses))
                routes = [.. routes, .. inside.ListRoutes(AddressFamily.InterNetworkV6)];
            var endpoint = new CheckedEndpoint(host, record, hostLink, link, routes) { Addresses = addresses, Inside = inside };
            if (mode.Mode == VnetMode.Transparent)
                mode.Check(endpoint);

            IPAddress? gateway = record.Gateway is { } g ? IPAddress.Parse(g) : null;
            if (gateway is not null && gateway.AddressFamily == AddressFamily.InterNetwork
                && !routes.Exists(r => r.Destination is null && r.DestinationPrefixLength == 0 && gateway.Equals(r.Gateway) && r.OutputInterfaceIndex == link.Index))
            {
                throw LinuxContext.Missing($"container default route via {gateway} dev {request.IfName} missing");
            }

            if (mode.Mode != VnetMode.Transparent)
                mode.Check(endpoint);
        }

        var mappings = PortMappings.Of(request, addresses);
        if (mappings.Count > 0)
        {
            string tag = RuleTag.Attachment(request.ContainerId, request.IfName);
            using var rules = context.Kernel.OpenRules();
            if (!rules.HasPortMappings(tag, mappings))
                throw LinuxContext.Missing($"port-mapping rules {tag} missing");
        }
    }
}
