using AzureCni.Json;

namespace AzureCni.Vnet.State;

/// <summary>azure-vnet.json: the networks set up on this node and every endpoint (attachment) azure-vnet created.</summary>
[CniJsonObject]
public sealed partial class VnetState
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public List<NetworkRecord> Networks { get; set; } = [];

    public List<EndpointRecord> Endpoints { get; set; } = [];

    /// <summary>Bridge setups a killed process left half-done (<see cref="NodeSetupRecord"/>); empty on a healthy node.</summary>
    public List<NodeSetupRecord> NodeSetups { get; set; } = [];

    /// <summary>
    /// When and how the state was rebuilt from a damaged file; kept until the first ordinary write of another
    /// command, STATUS reports it meanwhile. Absent otherwise.
    /// </summary>
    public string? Recovered { get; set; }

    public NetworkRecord? FindNetwork(string name) => Networks.Find(n => n.Name == name);

    public EndpointRecord? FindEndpoint(string network, string containerId, string ifName) =>
        Endpoints.Find(e => e.Network == network && e.ContainerId == containerId && e.IfName == ifName);

    public bool RemoveEndpoint(string network, string containerId, string ifName) =>
        Endpoints.RemoveAll(e => e.Network == network && e.ContainerId == containerId && e.IfName == ifName) > 0;
}

/// <summary>
/// A network's node-wide setup. The mode is persisted so every later ADD, DEL and CHECK acts on the mode the network
/// was created with (upstream derives it from each call's config and mixes modes).
/// </summary>
[CniJsonObject]
public sealed partial class NetworkRecord
{
    public string Name { get; set; } = "";

    public string Mode { get; set; } = "";

    public string Master { get; set; } = "";

    /// <summary>Bridge mode: the bridge holding the master's addresses and routes ("" in transparent mode).</summary>
    public string Bridge { get; set; } = "";

    /// <summary>Bridge mode: the master's MAC (the fabric accepts only frames carrying it).</summary>
    public string MasterMac { get; set; } = "";

    /// <summary>Taken over from upstream Azure CNI: the network's members this project does not use, written back on rollback.</summary>
    public JsonFieldBag? Upstream { get; set; }

    /// <summary>Taken over from upstream Azure CNI: its host NIC's members this project does not use (DNSInfo, Routes, ...).</summary>
    public JsonFieldBag? UpstreamInterface { get; set; }
}

/// <summary>
/// One attachment. Written before the first side effect of its ADD (<see cref="Pending"/> = true), so every host
/// object azure-vnet creates has an owner in the state, even when the process is killed mid-ADD.
/// </summary>
[CniJsonObject]
public sealed partial class EndpointRecord
{
    public string Network { get; set; } = "";

    [JsonName("containerID")]
    public string ContainerId { get; set; } = "";

    public string IfName { get; set; } = "";

    public string Mode { get; set; } = "";

    public string HostIfName { get; set; } = "";

    public string Master { get; set; } = "";

    public string Bridge { get; set; } = "";

    public string Netns { get; set; } = "";

    /// <summary>K8S_POD_NAMESPACE and K8S_POD_NAME of the ADD, when the runtime passed them (`azure-vnet show`).</summary>
    public string? PodNamespace { get; set; }

    public string? PodName { get; set; }

    /// <summary>When the ADD wrote the record, UTC, ISO 8601 (`azure-vnet show`).</summary>
    public string? Created { get; set; }

    /// <summary>The container interface's MAC.</summary>
    public string Mac { get; set; } = "";

    /// <summary>Addresses with their prefix length (10.240.0.5/16).</summary>
    public List<string> Addresses { get; set; } = [];

    public string? Gateway { get; set; }

    public bool PortMappings { get; set; }

    /// <summary>
    /// Bridge mode: the config's <c>ipsToRouteViaHost</c> at ADD, whose node-wide rules this attachment needs (the
    /// last attachment listing an address takes its rule along); absent when none.
    /// </summary>
    public List<string>? IpsToRouteViaHost { get; set; }

    /// <summary>Windows: the HNS endpoint's name (<c>&lt;container ID[:8]&gt;-&lt;ifname&gt;</c>); absent on Linux.</summary>
    public string? EndpointName { get; set; }

    /// <summary>Windows: the HNS endpoint's ID; absent on Linux and while <see cref="Pending"/>.</summary>
    public string? EndpointId { get; set; }

    /// <summary>Windows: the ID of the HNS network the endpoint is on; absent on Linux and while <see cref="Pending"/>.</summary>
    public string? NetworkId { get; set; }

    public bool Pending { get; set; }

    /// <summary>Taken over from upstream Azure CNI: the endpoint's members this project does not use, written back on rollback.</summary>
    public JsonFieldBag? Upstream { get; set; }

    /// <summary>
    /// Taken over from an upstream release before v1.6, which stored the temporary veth name (azv...2) as IfName:
    /// that name, written back on rollback; absent otherwise.
    /// </summary>
    public string? UpstreamIfName { get; set; }

    /// <summary>
    /// True once a DEL or GC of the attachment has decided about the node-wide objects it shared (under the
    /// network-setup lock): the entry stays until that DEL ends, but no longer counts as needing them. Absent otherwise.
    /// </summary>
    public bool? Detaching { get; set; }
}
