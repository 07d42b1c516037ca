using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Windows;

// The driver's entries in azure-vnet.json, through the EndpointStore the Linux path uses (same file, same lock):
// one per attachment, written pending before the ADD's first HNS call, completed with the HNS IDs after it.
public sealed partial class WindowsNetworkDriver
{
    /// <summary>The mode recorded for Windows attachments (the HNS network type).</summary>
    public const string StateMode = "l2bridge";

    private EndpointRecord RecordPending(WindowsNetworkConfig config, CniRequest request, CniResult ipamResult)
    {
        var record = new EndpointRecord
        {
            Network = config.Name,
            ContainerId = request.ContainerId,
            IfName = request.IfName,
            Mode = StateMode,
            Master = AdapterName(config) ?? "",
            Netns = request.Netns,
            EndpointName = EndpointName(InfraContainerId(request), request.IfName),
            Addresses = ipamResult.Ips.ConvertAll(ip => ip.Address.ToString()),
            Gateway = ipamResult.Ips.Find(ip => ip.Gateway is not null)?.Gateway?.ToString(),
            PortMappings = config.RuntimeConfig?.PortMappings is { Count: > 0 },
            Pending = true,
        };
        store.Update(state =>
        {
            // An entry left by an earlier attempt is replaced, as its endpoint is.
            state.RemoveEndpoint(record.Network, record.ContainerId, record.IfName);
            state.Endpoints.Add(record);
            return true;
        });
        return record;
    }

    private void RecordAdded(EndpointRecord added)
    {
        added.Pending = false;
        store.Update(state =>
        {
            state.RemoveEndpoint(added.Network, added.ContainerId, added.IfName);
            state.Endpoints.Add(added);
            return true;
        });
    }

    // After a failed ADD: best effort, as an entry left behind is replaced by the next ADD or removed by GC.
    private void Forget(EndpointRecord record)
    {
        try
        {
            Forget(record.Network, record.ContainerId, record.IfName);
        }
        catch (CniException)
        {
        }
    }

    private void Forget(string network, string containerId, string ifName) =>
        store.Update(state => state.RemoveEndpoint(network, containerId, ifName));

    private void ForgetAllBut(string network, CniRequest request) =>
        store.Update(state => state.Endpoints.RemoveAll(e => e.Network == network && !request.IsValidAttachment(e.ContainerId, e.IfName)) > 0);

    private EndpointRecord RecordedEndpoint(WindowsNetworkConfig config, CniRequest request)
    {
        EndpointRecord? record = store.Read().FindEndpoint(config.Name, request.ContainerId, request.IfName);
        if (record is null || record.Pending)
        {
            throw new CniException(CniErrorCode.Runtime,
                $"CHECK: endpoint {EndpointName(InfraContainerId(request), request.IfName)} (container {request.ContainerId} interface {request.IfName} on network {config.Name}) is not in {store.StatePath}.");
        }

        return record;
    }

    // The endpoint HNS has under the recorded name must be the one this plugin recorded (not a later replacement).
    private static void CheckRecordedId(EndpointRecord record, string name, string? hnsId)
    {
        if (record.EndpointId is { Length: > 0 } recorded && !Hns.HcnIds.Same(hnsId, Hns.HcnIds.Parse(recorded, "a recorded endpoint ID")))
            throw new CniException(CniErrorCode.Runtime, $"CHECK: endpoint {name} is {hnsId}, not the recorded {recorded}.");
    }
}
