namespace AzureCni.Hns;

/// <summary>
/// The Host Networking Service as this plugin uses it: the HCN v2 calls of computenetwork.dll
/// (open/query/close folded into one call each) and the two HNS v1 calls of vmcompute.dll.
/// Documents go in and come out as JSON text, exactly as HNS takes and gives them, so that an
/// in-memory implementation can check every document the real one would send.
/// Every failure is an <see cref="HnsException"/>.
/// </summary>
public interface IHostNetworkService
{
    /// <summary>HcnEnumerateNetworks: a JSON array of the IDs of the networks that match <paramref name="query"/>.</summary>
    string EnumerateNetworks(string query);

    /// <summary>HcnCreateNetwork then HcnQueryNetworkProperties: the new network's properties. <see cref="Guid.Empty"/> lets HNS choose the ID.</summary>
    string CreateNetwork(Guid id, string settings);

    /// <summary>HcnOpenNetwork then HcnQueryNetworkProperties.</summary>
    string QueryNetworkProperties(Guid id, string query);

    /// <summary>HcnOpenNetwork then HcnModifyNetwork.</summary>
    void ModifyNetwork(Guid id, string settings);

    /// <summary>HcnDeleteNetwork.</summary>
    void DeleteNetwork(Guid id);

    /// <summary>HcnEnumerateEndpoints: a JSON array of endpoint IDs.</summary>
    string EnumerateEndpoints(string query);

    /// <summary>HcnOpenNetwork, HcnCreateEndpoint, HcnQueryEndpointProperties: the new endpoint's properties.</summary>
    string CreateEndpoint(Guid networkId, Guid id, string settings);

    /// <summary>HcnOpenEndpoint then HcnQueryEndpointProperties.</summary>
    string QueryEndpointProperties(Guid id, string query);

    /// <summary>HcnOpenEndpoint then HcnModifyEndpoint.</summary>
    void ModifyEndpoint(Guid id, string settings);

    /// <summary>HcnDeleteEndpoint.</summary>
    void DeleteEndpoint(Guid id);

    /// <summary>HcnEnumerateNamespaces: a JSON array of namespace IDs.</summary>
    string EnumerateNamespaces(string query);

    /// <summary>HcnCreateNamespace then HcnQueryNamespaceProperties.</summary>
    string CreateNamespace(Guid id, string settings);

    /// <summary>HcnOpenNamespace then HcnQueryNamespaceProperties.</summary>
    string QueryNamespaceProperties(Guid id, string query);

    /// <summary>HcnOpenNamespace then HcnModifyNamespace (endpoint attach and detach).</summary>
    void ModifyNamespace(Guid id, string settings);

    /// <summary>HcnDeleteNamespace.</summary>
    void DeleteNamespace(Guid id);

    /// <summary>
    /// HNS v1 (vmcompute.dll HNSCall): <paramref name="method"/> GET, POST or DELETE on a path such as
    /// "/endpoints/" or "/endpoints/&lt;id&gt;". Returns the response's "Output" as JSON ("null" when it has none);
    /// a response with "Success": false is an <see cref="HnsException"/> carrying its "Error" text.
    /// </summary>
    string HnsRequest(string method, string path, string? request);

    /// <summary>HcsOpenComputeSystem then HcsModifyComputeSystem: hot-(de)attaches a v1 endpoint to a running container.</summary>
    void ModifyComputeSystem(string computeSystemId, string configuration);
}
