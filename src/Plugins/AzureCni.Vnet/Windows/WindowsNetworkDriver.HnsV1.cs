using System.Net;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Hns;
using AzureCni.Hns.Schema;
using AzureCni.Hns.Schema.V1;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Windows;

// The HNS v1 path: CNI_NETNS is not an HCN namespace ("none", or "container:<infra ID>" for a container
// that joins the infra container's network), so the endpoint is hot-attached to the container by its ID.
public sealed partial class WindowsNetworkDriver
{
    private const string JoinPrefix = "container:";

    private static CniResult AddHnsV1(Session session, CniRequest request, CniResult ipamResult, WindowsDns dns, EndpointRecord record)
    {
        WindowsNetworkConfig config = session.Config;
        HostComputeNetwork network = EnsureNetwork(session, ipamResult);
        Guid networkId = HcnIds.Parse(network.Id, "a network ID");
        record.NetworkId = HcnIds.Format(networkId);
        string name = EndpointName(InfraContainerId(request), request.IfName);
        HnsEndpoint? existing = session.V1.GetEndpointByName(name);

        // A workload container joins its infra container's endpoint rather than getting its own.
        if (existing is not null && IsJoin(request))
        {
            Guid joined = HcnIds.Parse(existing.Id, "an endpoint ID");
            session.V1.HotAttachEndpoint(request.ContainerId, joined);
            record.EndpointId = HcnIds.Format(joined);
            return BuildResult(request, ipamResult, existing.MacAddress, dns);
        }
        if (existing is not null)
            RemoveV1Endpoint(session, existing, request.ContainerId);

        HnsEndpoint created = session.V1.CreateEndpoint(BuildV1Endpoint(config, name, networkId, ipamResult, dns));
        Guid endpointId = HcnIds.Parse(created.Id, "an endpoint ID");
        try
        {
            session.V1.HotAttachEndpoint(request.ContainerId, endpointId);
        }
        catch
        {
            session.Undo(
                () => session.V1.HotDetachEndpoint(request.ContainerId, endpointId),
                () => session.V1.DeleteEndpoint(endpointId));
            throw;
        }
        record.EndpointId = HcnIds.Format(endpointId);
        return BuildResult(request, ipamResult, created.MacAddress, dns);
    }

    internal static HnsEndpoint BuildV1Endpoint(WindowsNetworkConfig config, string name, Guid networkId, CniResult ipamResult, WindowsDns dns)
    {
        var endpoint = new HnsEndpoint
        {
            Name = name,
            VirtualNetwork = HcnIds.Format(networkId),
            DnsSuffix = dns.Search.Count > 0 ? string.Join(',', dns.Search) : null,
            DnsServerList = dns.Servers.Count > 0 ? string.Join(',', dns.Servers) : null,
            Policies = WindowsPolicies.ForHnsV1(config),
        };
        foreach (CniIPConfig ip in ipamResult.Ips)
        {
            bool v6 = ip.Address.Address.AddressFamily == AddressFamily.InterNetworkV6;
            if (v6 && endpoint.IPv6Address is null)
            {
                endpoint.IPv6Address = ip.Address.Address.ToString();
                endpoint.IPv6PrefixLength = (byte)ip.Address.PrefixLength;
                endpoint.GatewayAddressV6 = ip.Gateway?.ToString();
            }
            else if (!v6 && endpoint.IPAddress is null)
            {
                endpoint.IPAddress = ip.Address.Address.ToString();
                endpoint.PrefixLength = (byte)ip.Address.PrefixLength;
                endpoint.GatewayAddress = ip.Gateway?.ToString();
            }
        }
        return endpoint;
    }

    private static IReadOnlyList<IPAddress> DeleteHnsV1(Session session, CniRequest request)
    {
        string name = EndpointName(InfraContainerId(request), request.IfName);
        if (session.V1.GetEndpointByName(name) is not { } endpoint)
            return [];
        Guid endpointId = HcnIds.Parse(endpoint.Id, "an endpoint ID");
        session.V1.HotDetachEndpoint(request.ContainerId, endpointId);

        // A workload container leaving the infra container's endpoint must not delete it.
        if (IsJoin(request))
            return [];
        session.V1.DeleteEndpoint(endpointId);
        return Addresses(endpoint);
    }

    private static void RemoveV1Endpoint(Session session, HnsEndpoint endpoint, string containerId)
    {
        Guid endpointId = HcnIds.Parse(endpoint.Id, "an endpoint ID");
        session.V1.HotDetachEndpoint(containerId, endpointId);
        session.V1.DeleteEndpoint(endpointId);
    }

    private static void CheckHnsV1(Session session, CniRequest request, EndpointRecord record)
    {
        WindowsNetworkConfig config = session.Config;
        Guid networkId = CheckNetwork(session);
        string name = EndpointName(InfraContainerId(request), request.IfName);
        HnsEndpoint endpoint = session.V1.GetEndpointByName(name)
            ?? throw new CniException(CniErrorCode.Runtime, $"CHECK: endpoint {name} does not exist.");
        if (!HcnIds.Same(endpoint.VirtualNetwork, networkId))
            throw new CniException(CniErrorCode.Runtime, $"CHECK: endpoint {name} is not on network {config.Name}.");
        CheckRecordedId(record, name, endpoint.Id);
    }

    private static bool IsJoin(CniRequest request) => request.Netns.StartsWith(JoinPrefix, StringComparison.Ordinal);

    // "container:<infra ID>" names the container whose endpoint this one shares.
    private static string InfraContainerId(CniRequest request)
        => IsJoin(request) && request.Netns.Length > JoinPrefix.Length ? request.Netns[JoinPrefix.Length..] : request.ContainerId;

    private static List<IPAddress> Addresses(HnsEndpoint endpoint)
    {
        var addresses = new List<IPAddress>();
        if (IPAddress.TryParse(endpoint.IPAddress, out IPAddress? v4))
            addresses.Add(v4);
        if (IPAddress.TryParse(endpoint.IPv6Address, out IPAddress? v6))
            addresses.Add(v6);
        return addresses;
    }
}
