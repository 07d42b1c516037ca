using System.Net;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Hns;
using AzureCni.Hns.Schema;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Windows;

// The HCN v2 path: CNI_NETNS is the ID of an HCN namespace.
public sealed partial class WindowsNetworkDriver
{
    private static CniResult AddHcn(Session session, CniRequest request, CniResult ipamResult, WindowsDns dns, Guid namespaceId, EndpointRecord record)
    {
        WindowsNetworkConfig config = session.Config;
        HostComputeNetwork network = EnsureNetwork(session, ipamResult);
        Guid networkId = HcnIds.Parse(network.Id, "a network ID");
        record.NetworkId = HcnIds.Format(networkId);
        string name = EndpointName(request.ContainerId, request.IfName);

        // An endpoint of this name is left from an earlier attempt (a timeout, a crash): replace it.
        if (session.Hcn.GetEndpointByName(name) is { } stale)
            RemoveHcnEndpoint(session, stale);

        HostComputeEndpoint endpoint = BuildEndpoint(config, name, ipamResult, dns);
        Guid endpointId = Guid.NewGuid();
        try
        {
            HostComputeEndpoint properties = session.Hcn.CreateEndpoint(networkId, endpointId, endpoint);
            session.Hcn.AddNamespaceEndpoint(namespaceId, endpointId);
            record.EndpointId = HcnIds.Format(endpointId);
            return BuildResult(request, ipamResult, properties.MacAddress, dns);
        }
        catch
        {
            // Detach (a no-op unless the attach got through), then delete. The endpoint's ID was chosen here,
            // so even a create that timed out, and may yet complete, is deleted by it.
            session.Undo(
                () => session.Hcn.RemoveNamespaceEndpoint(namespaceId, endpointId),
                () => session.Hcn.DeleteEndpoint(endpointId));
            throw;
        }
    }

    internal static HostComputeEndpoint BuildEndpoint(WindowsNetworkConfig config, string name, CniResult ipamResult, WindowsDns dns)
    {
        var endpoint = new HostComputeEndpoint
        {
            Name = name,
            IpConfigurations = [],
            Routes = [],
            Policies = WindowsPolicies.ForHcn(config, PodAddresses(ipamResult)),
            SchemaVersion = SchemaVersion.V2,
        };
        foreach (CniIPConfig ip in ipamResult.Ips)
        {
            endpoint.IpConfigurations.Add(new IpConfig { IpAddress = ip.Address.Address.ToString(), PrefixLength = (byte)ip.Address.PrefixLength });
            if (ip.Gateway is { } gateway)
                endpoint.Routes.Add(new Route { NextHop = gateway.ToString(), DestinationPrefix = DefaultRoute(gateway) });
        }
        if (!dns.IsEmpty)
        {
            endpoint.Dns = new HcnDns
            {
                Search = dns.Search.Count > 0 ? [.. dns.Search] : null,
                ServerList = dns.Servers.Count > 0 ? [.. dns.Servers] : null,
                Options = dns.Options.Count > 0 ? [.. dns.Options] : null,
            };
        }
        return endpoint;
    }

    private static IReadOnlyList<IPAddress> DeleteHcn(Session session, CniRequest request, Guid namespaceId)
    {
        string name = EndpointName(request.ContainerId, request.IfName);
        if (session.Hcn.GetEndpointByName(name) is not { } endpoint)
            return [];
        RemoveHcnEndpoint(session, endpoint, namespaceId);
        return Addresses(endpoint);
    }

    // Detaches an endpoint from the namespace HNS says it is in (else from the given one), then deletes it;
    // either may already be gone.
    private static void RemoveHcnEndpoint(Session session, HostComputeEndpoint endpoint, Guid? namespaceId = null)
    {
        Guid endpointId = HcnIds.Parse(endpoint.Id, "an endpoint ID");
        if (HcnIds.TryParse(endpoint.HostComputeNamespace, out Guid attachedTo))
            namespaceId = attachedTo;
        if (namespaceId is { } ns)
            session.Hcn.RemoveNamespaceEndpoint(ns, endpointId);
        session.Hcn.DeleteEndpoint(endpointId);
    }

    private static void CheckHcn(Session session, CniRequest request, Guid namespaceId, EndpointRecord record)
    {
        WindowsNetworkConfig config = session.Config;
        Guid networkId = CheckNetwork(session);
        string name = EndpointName(request.ContainerId, request.IfName);
        HostComputeEndpoint endpoint = session.Hcn.GetEndpointByName(name)
            ?? throw new CniException(CniErrorCode.Runtime, $"CHECK: endpoint {name} does not exist.");
        if (!HcnIds.Same(endpoint.HostComputeNetwork, networkId))
            throw new CniException(CniErrorCode.Runtime, $"CHECK: endpoint {name} is not on network {config.Name}.");
        CheckRecordedId(record, name, endpoint.Id);

        HostComputeNamespace ns = session.Hcn.GetNamespace(namespaceId)
            ?? throw new CniException(CniErrorCode.InvalidNetNS, $"CHECK: namespace {request.Netns} does not exist.");
        Guid endpointId = HcnIds.Parse(endpoint.Id, "an endpoint ID");
        if (!HcnClient.EndpointIds(ns).Contains(endpointId))
            throw new CniException(CniErrorCode.Runtime, $"CHECK: endpoint {name} is not attached to namespace {request.Netns}.");
    }

    private static Guid CheckNetwork(Session session)
    {
        WindowsNetworkConfig config = session.Config;
        HostComputeNetwork network = session.Hcn.GetNetworkByName(config.Name)
            ?? throw new CniException(CniErrorCode.Runtime, $"CHECK: network {config.Name} does not exist.");
        return HcnIds.Parse(network.Id, "a network ID");
    }

    private static IReadOnlyList<IPAddress> GarbageCollect(Session session, HashSet<string> keep)
    {
        WindowsNetworkConfig config = session.Config;
        if (session.Hcn.GetNetworkByName(config.Name) is not { } network)
            return [];
        Guid networkId = HcnIds.Parse(network.Id, "a network ID");

        var released = new List<IPAddress>();
        foreach (HostComputeEndpoint endpoint in session.Hcn.ListEndpoints())
        {
            if (!HcnIds.Same(endpoint.HostComputeNetwork, networkId)
                || ((endpoint.Flags ?? 0) & HostComputeEndpoint.RemoteEndpointFlag) != 0
                || !LooksLikeOurs(endpoint.Name)
                || keep.Contains(endpoint.Name!))
            {
                continue;
            }
            RemoveHcnEndpoint(session, endpoint);
            released.AddRange(Addresses(endpoint));
        }
        return released;
    }

    // Endpoints of other components (kube-proxy's source VIP endpoint, remote endpoints) share the network;
    // only names of the EndpointName form are this plugin's.
    private static bool LooksLikeOurs(string? name)
        => name is { Length: > 9 } && name[8] == '-' && !name.AsSpan(0, 8).Contains('-');

    private static List<IPAddress> Addresses(HostComputeEndpoint endpoint)
    {
        var addresses = new List<IPAddress>();
        foreach (IpConfig config in endpoint.IpConfigurations ?? [])
        {
            if (IPAddress.TryParse(config.IpAddress, out IPAddress? address))
                addresses.Add(address);
        }
        return addresses;
    }
}
