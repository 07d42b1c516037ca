using AzureCni.Hns.Schema.V1;

namespace AzureCni.Hns;

/// <summary>
/// Typed HNS v1 endpoint operations: the path for runtimes (dockershim) whose CNI_NETNS is not an HCN
/// namespace, where an endpoint is hot-attached to the container by its ID.
/// </summary>
public sealed class HnsV1Client(IHostNetworkService service)
{
    public IHostNetworkService Service { get; } = service;

    public List<HnsEndpoint> ListEndpoints()
        => HcnDocuments.ReadArray<HnsEndpoint>(Service.HnsRequest("GET", "/endpoints/", null), "HNS GET /endpoints/");

    public HnsEndpoint? GetEndpointByName(string name)
        => ListEndpoints().Find(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    public HnsEndpoint CreateEndpoint(HnsEndpoint endpoint)
        => HcnDocuments.Read<HnsEndpoint>(Service.HnsRequest("POST", "/endpoints/", HcnDocuments.Write(endpoint)), "HNS POST /endpoints/");

    /// <summary>Deletes the endpoint; false when it was already gone.</summary>
    public bool DeleteEndpoint(Guid id)
    {
        try
        {
            Service.HnsRequest("DELETE", "/endpoints/" + HcnIds.Format(id), null);
            return true;
        }
        catch (HnsException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    public void HotAttachEndpoint(string containerId, Guid endpointId)
        => Service.ModifyComputeSystem(containerId, HcnDocuments.Write(new ResourceModificationRequest
        {
            RequestType = ResourceModificationRequest.AddRequest,
            Settings = HcnIds.Format(endpointId),
        }));

    /// <summary>Detaches the endpoint; false when the container or the attachment was already gone.</summary>
    public bool HotDetachEndpoint(string containerId, Guid endpointId)
    {
        try
        {
            Service.ModifyComputeSystem(containerId, HcnDocuments.Write(new ResourceModificationRequest
            {
                RequestType = ResourceModificationRequest.RemoveRequest,
                Settings = HcnIds.Format(endpointId),
            }));
            return true;
        }
        catch (HnsException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
