using AzureCni.Cni;
using AzureCni.Cni.Recovery;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Show;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.State;
using AzureCni.Vnet.State;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// The state files as found on disk (damaged, edited by hand, written by another version): every command runs on
/// them and refuses with a CNI error, never with anything else; what a command writes reads back.
/// </summary>
public static class StateTargets
{
    // Only created, never written: the locks and the state live in MemoryFiles.
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "azure-cni-fuzz-state");

    private static readonly IpamConfig Local = new() { Type = "azure-vnet-ipam", Environment = IpamEnvironment.Local, Subnet = "10.10.0.0/29" };

    private static readonly IpamConfig Pinned = new() { Type = "azure-vnet-ipam", Environment = IpamEnvironment.Local, Subnet = "10.10.0.0/29", IpAddress = "10.10.0.3" };

    public static void RunIpamState(byte[] input)
    {
        var files = new MemoryFiles();
        var store = new IpamStore(Directory, files);
        files[store.StatePath] = input;
        var manager = new AddressManager(store, new AddressManagerOptions
        {
            Clock = static () => 1_700_000_000_000,
            SourceFactory = static config => new LocalSubnetSource(config.Subnet!),
            Warn = static _ => { },
        });

        Cni(() => manager.CheckReady(Local));
        Cni(() => manager.Find("azure", "container-0", "eth0"));
        Cni(() => manager.Reserve(Local, "azure", "container-1", "eth0"));
        Cni(() => manager.Reserve(Pinned, "azure", "container-2", "eth0"));
        Cni(() => manager.Release(Local, "azure", "container-0", "eth0"));
        Cni(() => manager.Release(Pinned, "azure", "container-2", "eth0"));
        Cni(() => manager.Collect("azure", [new GcAttachment { ContainerId = "container-1", IfName = "eth0" }]));
        // A state of a newer release is refused with a CNI error rather than read.
        Refusal.Allow(() => PoolSummary.Of(store.Load()), static e => e is UnreadableStateException or CniException);

        if (files.Writes > 0)
        {
            // What the IPAM wrote must be state it reads.
            try
            {
                StateRoundTrip.Check(store.Load());
            }
            catch (UnreadableStateException e)
            {
                throw new FuzzInvariantException("the IPAM wrote a state it refuses: " + e.Message);
            }
        }
    }

    public static void RunVnetState(byte[] input)
    {
        var files = new MemoryFiles();
        var store = new EndpointStore(Directory, files);
        files[store.StatePath] = input;

        var state = Cni(store.Read);
        if (state is not null)
        {
            foreach (var endpoint in state.Endpoints)
                _ = state.FindNetwork(endpoint.Network);
        }

        Cni(() => store.Update(s => s.RemoveEndpoint("azure", "container-0", "eth0")));
        Cni(() => store.Update(s =>
        {
            s.Endpoints.Add(new EndpointRecord { Network = "azure", ContainerId = "container-1", IfName = "eth0", Pending = true });
            return true;
        }));

        if (files.Writes > 0 && Cni(store.Read) is null)
            throw new FuzzInvariantException("azure-vnet wrote a state it refuses");
    }

    private static T? Cni<T>(Func<T> command) => Refusal.Allow(command, static e => e is CniException);

    private static void Cni(Action command) => Refusal.Allow(command, static e => e is CniException);
}
