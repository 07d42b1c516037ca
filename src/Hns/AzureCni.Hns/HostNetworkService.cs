using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json;
using static Interop.ComputeNetwork;

namespace AzureCni.Hns;

/// <summary>
/// The real Host Networking Service, through computenetwork.dll (HCN v2) and vmcompute.dll (HNS v1).
/// Handles are SafeHandles, closed on every path; error records are freed as soon as they are read.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class HostNetworkService : IHostNetworkService
{
    public string EnumerateNetworks(string query)
    {
        int hr = HcnEnumerateNetworks(query, out nint list, out nint error);
        return TakeResult("HcnEnumerateNetworks", hr, list, error);
    }

    public string CreateNetwork(Guid id, string settings)
    {
        int hr = HcnCreateNetwork(id, settings, out SafeHcnNetworkHandle network, out nint error);
        using (network)
        {
            Check("HcnCreateNetwork", hr, error);
            return Query(network);
        }
    }

    public string QueryNetworkProperties(Guid id, string query)
    {
        using SafeHcnNetworkHandle network = OpenNetwork(id);
        return Query(network, query);
    }

    public void ModifyNetwork(Guid id, string settings)
    {
        using SafeHcnNetworkHandle network = OpenNetwork(id);
        int hr = HcnModifyNetwork(network, settings, out nint error);
        Check("HcnModifyNetwork", hr, error);
    }

    public void DeleteNetwork(Guid id)
    {
        int hr = HcnDeleteNetwork(id, out nint error);
        Check("HcnDeleteNetwork", hr, error);
    }

    public string EnumerateEndpoints(string query)
    {
        int hr = HcnEnumerateEndpoints(query, out nint list, out nint error);
        return TakeResult("HcnEnumerateEndpoints", hr, list, error);
    }

    public string CreateEndpoint(Guid networkId, Guid id, string settings)
    {
        using SafeHcnNetworkHandle network = OpenNetwork(networkId);
        int hr = HcnCreateEndpoint(network, id, settings, out SafeHcnEndpointHandle endpoint, out nint error);
        using (endpoint)
        {
            Check("HcnCreateEndpoint", hr, error);
            return Query(endpoint);
        }
    }

    public string QueryEndpointProperties(Guid id, string query)
    {
        using SafeHcnEndpointHandle endpoint = OpenEndpoint(id);
        return Query(endpoint, query);
    }

    public void ModifyEndpoint(Guid id, string settings)
    {
        using SafeHcnEndpointHandle endpoint = OpenEndpoint(id);
        int hr = HcnModifyEndpoint(endpoint, settings, out nint error);
        Check("HcnModifyEndpoint", hr, error);
    }

    public void DeleteEndpoint(Guid id)
    {
        int hr = HcnDeleteEndpoint(id, out nint error);
        Check("HcnDeleteEndpoint", hr, error);
    }

    public string EnumerateNamespaces(string query)
    {
        int hr = HcnEnumerateNamespaces(query, out nint list, out nint error);
        return TakeResult("HcnEnumerateNamespaces", hr, list, error);
    }

    public string CreateNamespace(Guid id, string settings)
    {
        int hr = HcnCreateNamespace(id, settings, out SafeHcnNamespaceHandle ns, out nint error);
        using (ns)
        {
            Check("HcnCreateNamespace", hr, error);
            return Query(ns);
        }
    }

    public string QueryNamespaceProperties(Guid id, string query)
    {
        using SafeHcnNamespaceHandle ns = OpenNamespace(id);
        return Query(ns, query);
    }

    public void ModifyNamespace(Guid id, string settings)
    {
        using SafeHcnNamespaceHandle ns = OpenNamespace(id);
        int hr = HcnModifyNamespace(ns, settings, out nint error);
        Check("HcnModifyNamespace", hr, error);
    }

    public void DeleteNamespace(Guid id)
    {
        int hr = HcnDeleteNamespace(id, out nint error);
        Check("HcnDeleteNamespace", hr, error);
    }

    public string HnsRequest(string method, string path, string? request)
    {
        string operation = $"HNSCall {method} {path}";
        int hr = Interop.VmCompute.HnsCall(method, path, request ?? "", out nint responseBuffer);
        string? response = Interop.TakeCoTaskMemString(responseBuffer);
        if (hr < 0)
            throw HnsException.FromHResult(operation, hr, response);
        return HnsV1Response.Unwrap(operation, response);
    }

    public void ModifyComputeSystem(string computeSystemId, string configuration)
    {
        int hr = Interop.VmCompute.HcsOpenComputeSystem(computeSystemId, out SafeHcsSystemHandle system, out nint error);
        using (system)
        {
            Check("HcsOpenComputeSystem", hr, error);
            hr = Interop.VmCompute.HcsModifyComputeSystem(system, configuration, out error);
            Check("HcsModifyComputeSystem", hr, error);
        }
    }

    private static readonly string s_defaultQuery = HcnDocuments.Write(new Schema.HostComputeQuery());

    private static SafeHcnNetworkHandle OpenNetwork(Guid id)
    {
        int hr = HcnOpenNetwork(id, out SafeHcnNetworkHandle network, out nint error);
        CheckOrDispose("HcnOpenNetwork", hr, error, network);
        return network;
    }

    private static SafeHcnEndpointHandle OpenEndpoint(Guid id)
    {
        int hr = HcnOpenEndpoint(id, out SafeHcnEndpointHandle endpoint, out nint error);
        CheckOrDispose("HcnOpenEndpoint", hr, error, endpoint);
        return endpoint;
    }

    private static SafeHcnNamespaceHandle OpenNamespace(Guid id)
    {
        int hr = HcnOpenNamespace(id, out SafeHcnNamespaceHandle ns, out nint error);
        CheckOrDispose("HcnOpenNamespace", hr, error, ns);
        return ns;
    }

    private static string Query(SafeHcnNetworkHandle network, string? query = null)
    {
        int hr = HcnQueryNetworkProperties(network, query ?? s_defaultQuery, out nint properties, out nint error);
        return TakeResult("HcnQueryNetworkProperties", hr, properties, error);
    }

    private static string Query(SafeHcnEndpointHandle endpoint, string? query = null)
    {
        int hr = HcnQueryEndpointProperties(endpoint, query ?? s_defaultQuery, out nint properties, out nint error);
        return TakeResult("HcnQueryEndpointProperties", hr, properties, error);
    }

    private static string Query(SafeHcnNamespaceHandle ns, string? query = null)
    {
        int hr = HcnQueryNamespaceProperties(ns, query ?? s_defaultQuery, out nint properties, out nint error);
        return TakeResult("HcnQueryNamespaceProperties", hr, properties, error);
    }

    // Frees both buffers whatever happens; a failure HRESULT or a non-empty error record is an error.
    private static string TakeResult(string operation, int hr, nint result, nint errorRecord)
    {
        string? text = Interop.TakeCoTaskMemString(result);
        Check(operation, hr, errorRecord);
        return text ?? throw new HnsException($"{operation} returned no document.", HnsResults.E_UNEXPECTED, operation);
    }

    private static void Check(string operation, int hr, nint errorRecord)
    {
        string? record = Interop.TakeCoTaskMemString(errorRecord);
        if (hr < 0 || !string.IsNullOrEmpty(record))
            throw HnsException.FromHResult(operation, hr < 0 ? hr : HnsResults.E_FAIL, record);
    }

    private static void CheckOrDispose(string operation, int hr, nint errorRecord, SafeHandle handle)
    {
        try
        {
            Check(operation, hr, errorRecord);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
