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
    public string EnumerateNetworks(string query) => Hcn(() => Enumerate<Network>(query));

    public string CreateNetwork(Guid id, string settings) => Hcn(() =>
    {
        int hr = HcnCreateNetwork(id, settings, out SafeHcnNetworkHandle network, out nint error);
        return TakeCreated<Network>(hr, network, error);
    });

    public string QueryNetworkProperties(Guid id, string query) => Hcn(() => QueryProperties<Network>(id, query));

    public void ModifyNetwork(Guid id, string settings) => Hcn(() => Modify<Network>(id, settings));

    public void DeleteNetwork(Guid id) => Hcn(() => Delete<Network>(id));

    public string EnumerateEndpoints(string query) => Hcn(() => Enumerate<Endpoint>(query));

    public string CreateEndpoint(Guid networkId, Guid id, string settings) => Hcn(() =>
    {
        using SafeHandle network = Open<Network>(networkId);
        int hr = HcnCreateEndpoint((SafeHcnNetworkHandle)network, id, settings, out SafeHcnEndpointHandle endpoint, out nint error);
        return TakeCreated<Endpoint>(hr, endpoint, error);
    });

    public string QueryEndpointProperties(Guid id, string query) => Hcn(() => QueryProperties<Endpoint>(id, query));

    public void ModifyEndpoint(Guid id, string settings) => Hcn(() => Modify<Endpoint>(id, settings));

    public void DeleteEndpoint(Guid id) => Hcn(() => Delete<Endpoint>(id));

    public string EnumerateNamespaces(string query) => Hcn(() => Enumerate<Namespace>(query));

    public string CreateNamespace(Guid id, string settings) => Hcn(() =>
    {
        int hr = HcnCreateNamespace(id, settings, out SafeHcnNamespaceHandle ns, out nint error);
        return TakeCreated<Namespace>(hr, ns, error);
    });

    public string QueryNamespaceProperties(Guid id, string query) => Hcn(() => QueryProperties<Namespace>(id, query));

    public void ModifyNamespace(Guid id, string settings) => Hcn(() => Modify<Namespace>(id, settings));

    public void DeleteNamespace(Guid id) => Hcn(() => Delete<Namespace>(id));

    public string HnsRequest(string method, string path, string? request) => Loaded(Interop.VmCompute.Library, () =>
    {
        string operation = $"HNSCall {method} {path}";
        int hr = Interop.VmCompute.HnsCall(method, path, request ?? "", out nint responseBuffer);
        string? response = Interop.TakeCoTaskMemString(responseBuffer);
        if (hr < 0)
            throw HnsException.FromHResult(operation, hr, response);
        return HnsV1Response.Unwrap(operation, response);
    });

    public void ModifyComputeSystem(string computeSystemId, string configuration) => Loaded(Interop.VmCompute.Library, () =>
    {
        int hr = Interop.VmCompute.HcsOpenComputeSystem(computeSystemId, out SafeHcsSystemHandle system, out nint error);
        using (system)
        {
            Check("HcsOpenComputeSystem", hr, error);
            hr = Interop.VmCompute.HcsModifyComputeSystem(system, configuration, out error);
            Check("HcsModifyComputeSystem", hr, error);
        }
        return true;
    });

    private static T Hcn<T>(Func<T> call) => Loaded(Interop.ComputeNetwork.Library, call);

    private static void Hcn(Action call) => Loaded(Interop.ComputeNetwork.Library, () => { call(); return true; });

    // The libraries are loaded at the first call into them: a host without them (Windows without the Containers
    // feature) fails there, with the loader's exception, which becomes an HnsException like every other HNS failure.
    private static T Loaded<T>(string library, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw HnsException.Unavailable(library, e);
        }
    }

    private static readonly string s_defaultQuery = HcnDocuments.Write(new Schema.HostComputeQuery());

    private static string Enumerate<T>(string query) where T : IHcnResource
    {
        int hr = T.Enumerate(query, out nint list, out nint error);
        return TakeResult($"HcnEnumerate{T.Name}s", hr, list, error);
    }

    private static SafeHandle Open<T>(Guid id) where T : IHcnResource
    {
        int hr = T.Open(id, out SafeHandle handle, out nint error);
        CheckOrDispose($"HcnOpen{T.Name}", hr, error, handle);
        return handle;
    }

    private static string QueryProperties<T>(Guid id, string? query = null) where T : IHcnResource
    {
        using SafeHandle handle = Open<T>(id);
        return Query<T>(handle, query);
    }

    private static string Query<T>(SafeHandle handle, string? query = null) where T : IHcnResource
    {
        int hr = T.Query(handle, query ?? s_defaultQuery, out nint properties, out nint error);
        return TakeResult($"HcnQuery{T.Name}Properties", hr, properties, error);
    }

    private static void Modify<T>(Guid id, string settings) where T : IHcnResource
    {
        using SafeHandle handle = Open<T>(id);
        int hr = T.Modify(handle, settings, out nint error);
        Check($"HcnModify{T.Name}", hr, error);
    }

    private static void Delete<T>(Guid id) where T : IHcnResource
    {
        int hr = T.Delete(id, out nint error);
        Check($"HcnDelete{T.Name}", hr, error);
    }

    // A create's handle is closed on every path; what the caller gets is the new resource's properties.
    private static string TakeCreated<T>(int hr, SafeHandle created, nint error) where T : IHcnResource
    {
        using (created)
        {
            Check($"HcnCreate{T.Name}", hr, error);
            return Query<T>(created);
        }
    }

    // HCN has the same calls for networks, endpoints and namespaces, each its own export with its own handle type;
    // one implementation per resource maps the shared shape onto them, so each operation above is written once.
    private interface IHcnResource
    {
        static abstract string Name { get; }

        static abstract int Enumerate(string query, out nint list, out nint error);

        static abstract int Open(in Guid id, out SafeHandle handle, out nint error);

        static abstract int Query(SafeHandle handle, string query, out nint properties, out nint error);

        static abstract int Modify(SafeHandle handle, string settings, out nint error);

        static abstract int Delete(in Guid id, out nint error);
    }

    private readonly struct Network : IHcnResource
    {
        public static string Name => "Network";

        public static int Enumerate(string query, out nint list, out nint error) => HcnEnumerateNetworks(query, out list, out error);

        public static int Open(in Guid id, out SafeHandle handle, out nint error)
        {
            int hr = HcnOpenNetwork(id, out SafeHcnNetworkHandle network, out error);
            handle = network;
            return hr;
        }

        public static int Query(SafeHandle handle, string query, out nint properties, out nint error) =>
            HcnQueryNetworkProperties((SafeHcnNetworkHandle)handle, query, out properties, out error);

        public static int Modify(SafeHandle handle, string settings, out nint error) => HcnModifyNetwork((SafeHcnNetworkHandle)handle, settings, out error);

        public static int Delete(in Guid id, out nint error) => HcnDeleteNetwork(id, out error);
    }

    private readonly struct Endpoint : IHcnResource
    {
        public static string Name => "Endpoint";

        public static int Enumerate(string query, out nint list, out nint error) => HcnEnumerateEndpoints(query, out list, out error);

        public static int Open(in Guid id, out SafeHandle handle, out nint error)
        {
            int hr = HcnOpenEndpoint(id, out SafeHcnEndpointHandle endpoint, out error);
            handle = endpoint;
            return hr;
        }

        public static int Query(SafeHandle handle, string query, out nint properties, out nint error) =>
            HcnQueryEndpointProperties((SafeHcnEndpointHandle)handle, query, out properties, out error);

        public static int Modify(SafeHandle handle, string settings, out nint error) => HcnModifyEndpoint((SafeHcnEndpointHandle)handle, settings, out error);

        public static int Delete(in Guid id, out nint error) => HcnDeleteEndpoint(id, out error);
    }

    private readonly struct Namespace : IHcnResource
    {
        public static string Name => "Namespace";

        public static int Enumerate(string query, out nint list, out nint error) => HcnEnumerateNamespaces(query, out list, out error);

        public static int Open(in Guid id, out SafeHandle handle, out nint error)
        {
            int hr = HcnOpenNamespace(id, out SafeHcnNamespaceHandle ns, out error);
            handle = ns;
            return hr;
        }

        public static int Query(SafeHandle handle, string query, out nint properties, out nint error) =>
            HcnQueryNamespaceProperties((SafeHcnNamespaceHandle)handle, query, out properties, out error);

        public static int Modify(SafeHandle handle, string settings, out nint error) => HcnModifyNamespace((SafeHcnNamespaceHandle)handle, settings, out error);

        public static int Delete(in Guid id, out nint error) => HcnDeleteNamespace(id, out error);
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
