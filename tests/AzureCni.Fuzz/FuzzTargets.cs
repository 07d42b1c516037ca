using AzureCni.Fuzz.Targets;

namespace AzureCni.Fuzz;

/// <summary>Every target, by name: each reader of bytes that come from outside the plugin.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("netconf", "a network config on stdin, through the CNI host for every command", NetConfTarget.Run),
        new("cni-args", "CNI_ARGS", CniArgsTarget.Run),
        new("nmagent-xml", "NMAgent's getinterfaceinfov1 XML, then the pools it makes", SourceTargets.RunNmAgentXml),
        new("wireserver-http", "a wireserver HTTP response", SourceTargets.RunHttpResponse),
        new("interfaces-json", "interfaces.json (environments mas and fileIpam), then the pools it makes", SourceTargets.RunInterfacesJson),
        new("ipam-state", "azure-vnet-ipam.json, then every IPAM command on it", StateTargets.RunIpamState),
        new("vnet-state", "azure-vnet.json, read and updated", StateTargets.RunVnetState),
        new("metrics-record", "the metrics lock file's record (and the text of an earlier version's .prom), updated and read back", MetricsTarget.Run),
        new("netlink", "a datagram of rtnetlink replies (links, addresses, routes, neighbours, errors)", NetlinkTarget.Run),
        new("ebtables-rules", "a datagram of an nf_tables rule dump of ebtables-nft's bridge tables, each rule read as an ebtables rule", EbtablesTarget.Run),
        new("hns-json", "HNS documents (v1 envelopes, HCN networks, endpoints, namespaces, ID lists)", HnsTarget.Run),
    ];

    public static FuzzTarget? Find(string name)
    {
        foreach (var target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.Ordinal))
                return target;
        }

        return null;
    }
}
