using AzureCni.Hns.Schema;

namespace AzureCni.Hns;

/// <summary>Typed HCN v2 operations over an <see cref="IHostNetworkService"/>; lookups answer null when nothing matches.</summary>
public sealed class HcnClient(IHostNetworkService service)
{
    public IHostNetworkService Service { get; } = service;

    // Networks

    // HNS filters by name; checking again costs nothing and keeps a lenient HNS from handing back the wrong object.
    public HostComputeNetwork? GetNetworkByName(string name)
        => ListNetworks(new HostComputeQueryFilter { Name = name }).Find(n => string.Equals(n.Name, name, StringComparison.Ordinal));

    public HostComputeNetwork? GetNetwork(Guid id)
        => Lookup(() => HcnDocuments.Read<HostComputeNetwork>(Service.QueryNetworkProperties(id, DefaultQuery()), "HcnQueryNetworkProperties"));

    public List<HostComputeNetwork> ListNetworks(HostComputeQueryFilter? filter = null) =>
        List<HostComputeNetwork>(Query(filter), Service.EnumerateNetworks, Service.QueryNetworkProperties, "HcnEnumerateNetworks", "HcnQueryNetworkProperties");

    public HostComputeNetwork CreateNetwork(HostComputeNetwork network, Guid id = default)
        => HcnDocuments.Read<HostComputeNetwork>(Service.CreateNetwork(id, HcnDocuments.Write(network)), "HcnCreateNetwork");

    public void DeleteNetwork(Guid id) => Service.DeleteNetwork(id);

    // Endpoints

    public HostComputeEndpoint? GetEndpoint(Guid id)
        => Lookup(() => HcnDocuments.Read<HostComputeEndpoint>(Service.QueryEndpointProperties(id, DefaultQuery()), "HcnQueryEndpointProperties"));

    public HostComputeEndpoint? GetEndpointByName(string name)
        => ListEndpoints(new HostComputeQueryFilter { Name = name }).Find(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    public List<HostComputeEndpoint> ListEndpoints(HostComputeQueryFilter? filter = null) =>
        List<HostComputeEndpoint>(Query(filter), Service.EnumerateEndpoints, Service.QueryEndpointProperties, "HcnEnumerateEndpoints", "HcnQueryEndpointProperties");

    /// <summary>Creates the endpoint with the caller's ID, so that a caller that loses the answer (a timeout) can still delete it.</summary>
    public HostComputeEndpoint CreateEndpoint(Guid networkId, Guid id, HostComputeEndpoint endpoint)
    {
        endpoint.HostComputeNetwork = HcnIds.Format(networkId);
        return HcnDocuments.Read<HostComputeEndpoint>(Service.CreateEndpoint(networkId, id, HcnDocuments.Write(endpoint)), "HcnCreateEndpoint");
    }

    /// <summary>Deletes the endpoint; false when it was already gone.</summary>
    public bool DeleteEndpoint(Guid id) => Lookup(() => { Service.DeleteEndpoint(id); return true; });

    // Namespaces

    public HostComputeNamespace? GetNamespace(Guid id)
        => Lookup(() => HcnDocuments.Read<HostComputeNamespace>(Service.QueryNamespaceProperties(id, DefaultQuery()), "HcnQueryNamespaceProperties"));

    public HostComputeNamespace CreateNamespace(HostComputeNamespace ns, Guid id = default)
        => HcnDocuments.Read<HostComputeNamespace>(Service.CreateNamespace(id, HcnDocuments.Write(ns)), "HcnCreateNamespace");

    public void DeleteNamespace(Guid id) => Service.DeleteNamespace(id);

    public void AddNamespaceEndpoint(Guid namespaceId, Guid endpointId)
        => Service.ModifyNamespace(namespaceId, HcnDocuments.Write(ModifyNamespaceSettingRequest.AttachEndpoint(endpointId)));

    /// <summary>Detaches the endpoint; false when the namespace or the attachment was already gone.</summary>
    public bool RemoveNamespaceEndpoint(Guid namespaceId, Guid endpointId)
        => Lookup(() => { Service.ModifyNamespace(namespaceId, HcnDocuments.Write(ModifyNamespaceSettingRequest.DetachEndpoint(endpointId))); return true; });

    /// <summary>The IDs of the endpoints attached to a namespace.</summary>
    public static List<Guid> EndpointIds(HostComputeNamespace ns)
    {
        var ids = new List<Guid>();
        foreach (NamespaceResource resource in ns.Resources ?? [])
        {
            if (resource.Type == NamespaceResource.EndpointType && HcnIds.TryParse(resource.Data?.Id, out Guid id))
                ids.Add(id);
        }
        return ids;
    }

    // Enumerate the IDs, then query each; an object deleted between the two calls is simply not listed.
    private static List<T> List<T>(string query, Func<string, string> enumerate, Func<Guid, string, string> properties,
        string enumerateOperation, string queryOperation) where T : AzureCni.Json.ICniJsonObject<T>
    {
        var items = new List<T>();
        foreach (Guid id in HcnDocuments.ReadIds(enumerate(query), enumerateOperation))
        {
            if (Lookup(() => properties(id, query)) is { } document)
                items.Add(HcnDocuments.Read<T>(document, queryOperation));
        }
        return items;
    }

    private static string DefaultQuery() => HcnDocuments.Write(new HostComputeQuery());

    private static string Query(HostComputeQueryFilter? filter)
        => HcnDocuments.Write(new HostComputeQuery { Filter = filter is null ? null : HcnDocuments.Write(filter) });

    private static T? Lookup<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (HnsException e) when (e.IsNotFound)
        {
            return default;
        }
    }
}
