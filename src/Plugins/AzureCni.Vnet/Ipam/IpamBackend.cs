using AzureCni.Cni;
using AzureCni.Cni.Delegation;
using AzureCni.Cni.Files;
using AzureCni.Cni.Types;
using AzureCni.Ipam;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.State;

namespace AzureCni.Vnet.Ipam;

/// <summary>
/// The IPAM as azure-vnet uses it: azure-vnet-ipam in-process (its library, same state file and lock as the
/// executable, no process spawned) or any other IPAM plugin through CNI delegation.
/// </summary>
internal abstract class IpamBackend
{
    public static IpamBackend For(Config.VnetConfig config, CniRequest request) =>
        config.InProcessIpam ? new InProcess(request) : new Delegated(config.IpamType);

    public abstract CniResult Add(CniRequest request);

    public abstract void Delete(CniRequest request);

    public abstract void Check(CniRequest request);

    public abstract void GarbageCollect(CniRequest request);

    public abstract void Status(CniRequest request);

    private sealed class InProcess(CniRequest request) : IpamBackend
    {
        private readonly AzureVnetIpamPlugin _plugin = new(new AddressManager(new IpamStore(PluginPaths.StateDir(request.Environment))));

        public override CniResult Add(CniRequest request) => _plugin.Add(request);

        public override void Delete(CniRequest request) => _plugin.Delete(request);

        public override void Check(CniRequest request) => _plugin.Check(request);

        public override void GarbageCollect(CniRequest request) => _plugin.GarbageCollect(request);

        public override void Status(CniRequest request) => _plugin.Status(request);
    }

    private sealed class Delegated(string type) : IpamBackend
    {
        public override CniResult Add(CniRequest request) => CniDelegate.Add(type, request);

        public override void Delete(CniRequest request) => CniDelegate.Delete(type, request);

        public override void Check(CniRequest request) => CniDelegate.Check(type, request);

        public override void GarbageCollect(CniRequest request) => CniDelegate.GarbageCollect(type, request);

        public override void Status(CniRequest request) => CniDelegate.Status(type, request);
    }
}
