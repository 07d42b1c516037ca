using AzureCni.Cni;
using AzureCni.Cni.Types;

namespace AzureCni.Vnet;

/// <summary>
/// azure-vnet, the network plugin. The protocol (VERSION, validation, errors, conversion) is complete in the
/// host; the data path (IPAM delegation, veth/bridge/transparent endpoints) lands with its own issues, and until
/// then ADD and CHECK answer a clear "not implemented yet" error instead of pretending.
/// </summary>
public sealed class AzureVnetPlugin : ICniPlugin
{
    public string Name => "azure-vnet";

    public CniResult Add(CniRequest request) => throw NotImplemented("ADD");

    /// <summary>Nothing is ever created yet, so there is nothing to delete: DEL succeeds, as a repeated DEL must.</summary>
    public void Delete(CniRequest request)
    {
    }

    public void Check(CniRequest request) => throw NotImplemented("CHECK");

    /// <summary>No resources exist yet, so none can be stale.</summary>
    public void GarbageCollect(CniRequest request)
    {
    }

    public void Status(CniRequest request) =>
        throw new CniException(CniErrorCode.PluginNotAvailable, "azure-vnet cannot serve ADD yet: not implemented yet");

    private static CniException NotImplemented(string command) =>
        new(CniErrorCode.Runtime, $"azure-vnet {command}: not implemented yet", "the data path lands with the IPAM and data-path issues");
}
