using AzureCni.Cni;
using AzureCni.Cni.Delegation;
using AzureCni.Cni.Files;
using AzureCni.Cni.Types;
using AzureCni.Ipam;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.State;

namespace AzureCni.Vnet.Ipam;

/// <summary>
/// The IPAM as azure-vnet uses it, on every platform and in host-check: azure-vnet-ipam in process (its library,
/// same state file and lock as the executable, no process spawned) or any other IPAM plugin through CNI delegation.
/// </summary>
internal abstract class IpamBackend
{
    public static IpamBackend For(Config.VnetConfig config, IReadOnlyDictionary<string, string> environment) =>
        config.InProcessIpam ? new InProcess(PluginPaths.StateDir(environment), environment) : new Delegated(config.IpamType);

    /// <summary>azure-vnet-ipam's state in <paramref name="stateDir"/>, for reading its pools outside a CNI command.</summary>
    public static IpamBackend Local(string stateDir) => new InProcess(stateDir, null);

    public abstract CniResult Add(CniRequest request);

    public abstract void Delete(CniRequest request);

    public abstract void Check(CniRequest request);

    public abstract void GarbageCollect(CniRequest request);

    public abstract void Status(CniRequest request);

    /// <summary>
    /// The subnets of the pools the IPAM holds on this node ("10.240.0.0/16"), and where it read them; none when it
    /// keeps no state here (a delegated IPAM) or its state file does not exist yet.
    /// </summary>
    public abstract IReadOnlyList<string> PoolSubnets(out string source);

    private sealed class InProcess(string stateDir, IReadOnlyDictionary<string, string>? environment) : IpamBackend
    {
        private readonly IpamStore _store = new(stateDir) { Environment = environment };
        private AzureVnetIpamPlugin? _plugin;

        private AzureVnetIpamPlugin Plugin => _plugin ??= new(new AddressManager(_store));

        public override CniResult Add(CniRequest request) => Plugin.Add(request);

        public override void Delete(CniRequest request) => Plugin.Delete(request);

        public override void Check(CniRequest request) => Plugin.Check(request);

        public override void GarbageCollect(CniRequest request) => Plugin.GarbageCollect(request);

        public override void Status(CniRequest request) => Plugin.Status(request);

        public override IReadOnlyList<string> PoolSubnets(out string source)
        {
            source = _store.StatePath;
            if (!File.Exists(_store.StatePath))
                return [];
            return _store.Load().Pools.ConvertAll(pool => pool.Subnet);
        }
    }

    private sealed class Delegated(string type) : IpamBackend
    {
        public override CniResult Add(CniRequest request) => CniDelegate.Add(type, request);

        public override void Delete(CniRequest request) => CniDelegate.Delete(type, request);

        public override void Check(CniRequest request) => CniDelegate.Check(type, request);

        public override void GarbageCollect(CniRequest request) => CniDelegate.GarbageCollect(type, request);

        public override void Status(CniRequest request) => CniDelegate.Status(type, request);

        public override IReadOnlyList<string> PoolSubnets(out string source)
        {
            source = "the " + type + " plugin";
            return [];
        }
    }
}
