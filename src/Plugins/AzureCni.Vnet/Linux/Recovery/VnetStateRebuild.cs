using System.Globalization;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Recovery;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Linux.Recovery;

/// <summary>
/// azure-vnet's endpoints rebuilt from the node when its state file is unreadable: every host veth of ours
/// (<c>azv*</c>) is an endpoint; libcni's result cache names its owner (the veth's name is a hash of network,
/// container and interface) with the pod's netns, MAC and addresses. A veth no cache entry explains is kept as an
/// endpoint of unknown owner in <paramref name="network"/> with the addresses the kernel shows, so nothing it holds
/// is handed out again; GC removes it once the runtime does not list it. A bridge network's record is rebuilt from
/// the bridge its veths are ports of (its master is the port that is no pod veth); a transparent network's is not
/// needed: the next ADD finds its master as after a lost state (<see cref="MasterInterface"/>).
/// </summary>
internal sealed class VnetStateRebuild(ILinuxKernel kernel, string cacheDir, string network)
{
    public const string PluginType = "azure-vnet";

    /// <summary>Fills <paramref name="state"/>; returns what it found, for the log line and STATUS.</summary>
    public string Fill(VnetState state)
    {
        var cached = ResultCache.Read(cacheDir, out int skipped).FindAll(e => e.PluginTypes.Contains(PluginType));
        using var host = kernel.OpenNode();
        var veths = host.ListLinks().FindAll(l => l.Kind == "veth" && l.Name.StartsWith(HostNames.VethPrefix, StringComparison.Ordinal));
        var explained = new HashSet<string>(StringComparer.Ordinal);

        foreach (var entry in cached)
        {
            string hostVeth = HostNames.HostVeth(entry.Network, entry.ContainerId, entry.IfName);
            var pod = entry.ContainerInterface;
            var record = new EndpointRecord
            {
                Network = entry.Network, ContainerId = entry.ContainerId, IfName = entry.IfName, HostIfName = hostVeth,
                Netns = pod?.Sandbox ?? "", Mac = pod?.Mac ?? "",
                Addresses = entry.Result.Ips.ConvertAll(ip => ip.Address.ToString()),
                Gateway = entry.Result.Ips.Find(ip => ip.Gateway is not null)?.Gateway?.ToString(),
            };
            if (explained.Add(hostVeth) && KernelEndpoint.TryComplete(kernel, host, record))
                state.Endpoints.Add(record);
        }

        int unknown = 0;
        foreach (var veth in veths.FindAll(v => !explained.Contains(v.Name)))
        {
            var record = new EndpointRecord { Network = network, HostIfName = veth.Name };
            if (KernelEndpoint.TryComplete(kernel, host, record))
            {
                state.Endpoints.Add(record);
                unknown++;
            }
        }

        foreach (var endpoint in state.Endpoints.FindAll(e => e.Bridge.Length > 0 && e.Master.Length > 0))
        {
            if (state.FindNetwork(endpoint.Network) is null && host.TryGetLink(endpoint.Master, out var master))
            {
                state.Networks.Add(new NetworkRecord
                {
                    Name = endpoint.Network, Mode = EndpointModes.BridgeName, Master = master.Name, Bridge = endpoint.Bridge,
                    MasterMac = LinuxContext.Mac(master.MacAddress),
                });
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{state.Endpoints.Count} endpoints from {veths.Count} host veths and {cached.Count} entries of the result cache {cacheDir} ({unknown} of unknown owner; {skipped} cache entries unreadable)");
    }
}
