using System.Runtime.ExceptionServices;

namespace AzureCni.Hns;

/// <summary>
/// Bounds every call to the inner service by a timeout (windowsSettings.hnsTimeoutDurationInSeconds).
/// A call that outlives it is reported as an <see cref="HnsException"/> with <see cref="HnsException.IsTimeout"/>,
/// but HNS may still carry it out: such calls are kept, and <see cref="WaitForAbandonedCalls"/> lets a
/// rollback wait for them before it deletes what they may have made.
/// </summary>
public sealed class TimeoutHostNetworkService(IHostNetworkService inner, TimeSpan timeout) : IHostNetworkService
{
    private readonly Lock _lock = new();
    private readonly List<Task> _abandoned = [];

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Waits up to <paramref name="grace"/> for the calls that timed out; true when none is still running.</summary>
    public bool WaitForAbandonedCalls(TimeSpan grace)
    {
        Task[] pending;
        lock (_lock)
            pending = [.. _abandoned];
        if (pending.Length == 0)
            return true;
        try
        {
            return Task.WaitAll(pending, grace);
        }
        catch (AggregateException)
        {
            // They failed: nothing of theirs is left to wait for.
            return true;
        }
    }

    public string EnumerateNetworks(string query) => Run("HcnEnumerateNetworks", () => inner.EnumerateNetworks(query));

    public string CreateNetwork(Guid id, string settings) => Run("HcnCreateNetwork", () => inner.CreateNetwork(id, settings));

    public string QueryNetworkProperties(Guid id, string query) => Run("HcnQueryNetworkProperties", () => inner.QueryNetworkProperties(id, query));

    public void ModifyNetwork(Guid id, string settings) => Run("HcnModifyNetwork", () => inner.ModifyNetwork(id, settings));

    public void DeleteNetwork(Guid id) => Run("HcnDeleteNetwork", () => inner.DeleteNetwork(id));

    public string EnumerateEndpoints(string query) => Run("HcnEnumerateEndpoints", () => inner.EnumerateEndpoints(query));

    public string CreateEndpoint(Guid networkId, Guid id, string settings) => Run("HcnCreateEndpoint", () => inner.CreateEndpoint(networkId, id, settings));

    public string QueryEndpointProperties(Guid id, string query) => Run("HcnQueryEndpointProperties", () => inner.QueryEndpointProperties(id, query));

    public void ModifyEndpoint(Guid id, string settings) => Run("HcnModifyEndpoint", () => inner.ModifyEndpoint(id, settings));

    public void DeleteEndpoint(Guid id) => Run("HcnDeleteEndpoint", () => inner.DeleteEndpoint(id));

    public string EnumerateNamespaces(string query) => Run("HcnEnumerateNamespaces", () => inner.EnumerateNamespaces(query));

    public string CreateNamespace(Guid id, string settings) => Run("HcnCreateNamespace", () => inner.CreateNamespace(id, settings));

    public string QueryNamespaceProperties(Guid id, string query) => Run("HcnQueryNamespaceProperties", () => inner.QueryNamespaceProperties(id, query));

    public void ModifyNamespace(Guid id, string settings) => Run("HcnModifyNamespace", () => inner.ModifyNamespace(id, settings));

    public void DeleteNamespace(Guid id) => Run("HcnDeleteNamespace", () => inner.DeleteNamespace(id));

    public string HnsRequest(string method, string path, string? request) => Run($"HNSCall {method} {path}", () => inner.HnsRequest(method, path, request));

    public void ModifyComputeSystem(string computeSystemId, string configuration) => Run("HcsModifyComputeSystem", () => inner.ModifyComputeSystem(computeSystemId, configuration));

    private void Run(string operation, Action call) => Run(operation, () => { call(); return true; });

    private T Run<T>(string operation, Func<T> call)
    {
        Task<T> task = Task.Run(call);
        try
        {
            if (task.Wait(Timeout))
                return task.Result;
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        lock (_lock)
            _abandoned.Add(task);
        throw HnsException.Timeout(operation, Timeout);
    }
}
