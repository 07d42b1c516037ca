using System.Globalization;
using System.Net;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Json;

namespace AzureCni.Vnet.State.Upstream;

/// <summary>
/// Upstream's azure-vnet.json to ours and back. An upstream pod becomes an <see cref="EndpointRecord"/> with its
/// host veth, addresses, MAC, mode, master and bridge, so DEL and CHECK find its objects; what upstream stores and
/// this project does not use rides along in the records' Upstream bags and is written back on rollback.
/// </summary>
public static class UpstreamVnetConversion
{
    public static VnetState ToOurs(UpstreamVnetFile file)
    {
        var state = new VnetState();
        foreach (var (nicName, nic) in file.Network?.ExternalInterfaces ?? new Dictionary<string, UpstreamExternalInterface>())
        {
            string master = nic.Name.Length > 0 ? nic.Name : nicName;
            foreach (var (networkName, network) in nic.Networks ?? new Dictionary<string, UpstreamNetwork>())
            {
                state.Networks.Add(new NetworkRecord
                {
                    Name = networkName, Mode = network.Mode, Master = master, Bridge = nic.BridgeName,
                    MasterMac = Mac(nic.MacAddress), Upstream = network.Other, UpstreamInterface = nic.Other,
                });
                foreach (var endpoint in (network.Endpoints ?? new Dictionary<string, UpstreamEndpoint>()).Values)
                    state.Endpoints.Add(Endpoint(networkName, network.Mode, master, nic.BridgeName, endpoint));
            }
        }

        return state;
    }

    private static EndpointRecord Endpoint(string network, string mode, string master, string bridge, UpstreamEndpoint endpoint)
    {
        var addresses = new List<string>();
        foreach (var address in endpoint.IPAddresses ?? [])
            addresses.Add(address.ToCidr());

        string? gateway = endpoint.Gateways is [var first, ..] && first is not ("" or "0.0.0.0" or "::") ? first : null;
        string ifName = IfName(endpoint);
        return new EndpointRecord
        {
            Network = network, ContainerId = endpoint.ContainerID, IfName = ifName, Mode = mode,
            UpstreamIfName = ifName == endpoint.IfName ? null : endpoint.IfName,
            HostIfName = endpoint.HostIfName, Master = master, Bridge = bridge, Netns = endpoint.NetworkNameSpace ?? "",
            PodNamespace = endpoint.PODNameSpace, PodName = endpoint.PODName, Mac = Mac(endpoint.MacAddress),
            Addresses = addresses, Gateway = gateway, Upstream = endpoint.Other,
        };
    }

    // Before v1.6 IfName held the temporary veth name (azv...2); the endpoint ID "cid[:8]-ifname" still names it.
    private static string IfName(UpstreamEndpoint endpoint)
    {
        if (endpoint.IfName.Length > 0 && !endpoint.IfName.StartsWith("azv", StringComparison.Ordinal))
            return endpoint.IfName;

        int dash = endpoint.Id.IndexOf('-', StringComparison.Ordinal);
        return dash >= 0 && dash < endpoint.Id.Length - 1 ? endpoint.Id[(dash + 1)..] : "eth0";
    }

    private static string Mac(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
            return "";

        return string.Join(':', Array.ConvertAll(Convert.FromBase64String(base64), b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static string? Base64Mac(string mac)
    {
        if (mac.Length == 0)
            return null;

        return Convert.ToBase64String(Array.ConvertAll(mac.Split(':', '-'), h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Our state in upstream's shape. Each network's Subnets[0] is the IPAM pool holding its endpoints' addresses
    /// (upstream sends it to IPAM as the pool on every later call; <paramref name="poolOf"/> names the pool of an
    /// address, null when the IPAM is not known), and every endpoint carries its full container ID.
    /// </summary>
    public static UpstreamVnetFile ToUpstream(VnetState state, Func<string, IpamPoolOf?>? poolOf, string version, DateTime utcNow)
    {
        var nics = new Dictionary<string, UpstreamExternalInterface>(StringComparer.Ordinal);
        foreach (var network in state.Networks)
        {
            if (!nics.TryGetValue(network.Master, out var nic))
            {
                nic = new UpstreamExternalInterface
                {
                    Name = network.Master, BridgeName = network.Bridge, MacAddress = Base64Mac(network.MasterMac),
                    Networks = new(StringComparer.Ordinal), Other = network.UpstreamInterface,
                };
                nics[network.Master] = nic;
            }

            var endpoints = new Dictionary<string, UpstreamEndpoint>(StringComparer.Ordinal);
            foreach (var record in state.Endpoints)
            {
                if (record.Network == network.Name && !record.Pending)
                    endpoints[EndpointId(record)] = Endpoint(record);
            }

            var upstream = new UpstreamNetwork { Id = network.Name, Mode = network.Mode, Endpoints = endpoints, Other = network.Upstream };
            var pool = PoolOf(poolOf, state.Endpoints.Find(e => e.Network == network.Name));
            if (pool is { } p && upstream.Other?.Contains("Subnets") != true)
            {
                upstream.Other ??= new JsonFieldBag();
                upstream.Other.Set("Subnets", SubnetsJson(p));
            }

            if (pool is { } q && nic.Other?.Contains("Subnets") != true)
            {
                nic.Other ??= new JsonFieldBag();
                nic.Other.Set("Subnets", RawJson.Parse(System.Text.Encoding.UTF8.GetBytes("[\"" + q.Subnet + "\"]")));
            }

            nic.Networks![network.Name] = upstream;
        }

        return new UpstreamVnetFile
        {
            Network = new UpstreamNetworkManager
            {
                Version = version,
                TimeStamp = utcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                ExternalInterfaces = nics,
            },
        };
    }

    /// <summary>Upstream's endpoint ID: the container ID's first 8 characters, "-", the interface name.</summary>
    public static string EndpointId(EndpointRecord record) =>
        (record.ContainerId.Length > 8 ? record.ContainerId[..8] : record.ContainerId) + "-" + record.IfName;

    private static UpstreamEndpoint Endpoint(EndpointRecord record) => new()
    {
        Id = EndpointId(record),
        IfName = record.UpstreamIfName ?? record.IfName,
        HostIfName = record.HostIfName,
        MacAddress = Base64Mac(record.Mac),
        IPAddresses = record.Addresses.ConvertAll(UpstreamIPNet.FromCidr),
        Gateways = [record.Gateway ?? "0.0.0.0"],
        NetworkNameSpace = record.Netns.Length > 0 ? record.Netns : null,
        ContainerID = record.ContainerId,
        PODName = record.PodName,
        PODNameSpace = record.PodNamespace,
        Other = record.Upstream,
    };

    private static IpamPoolOf? PoolOf(Func<string, IpamPoolOf?>? poolOf, EndpointRecord? endpoint)
    {
        if (poolOf is null || endpoint is null || endpoint.Addresses.Count == 0)
            return null;

        return poolOf(endpoint.Addresses[0].Split('/')[0]);
    }

    private static RawJson SubnetsJson(IpamPoolOf pool)
    {
        var prefix = UpstreamIPNet.FromCidr(pool.Subnet);
        string gateway = pool.Gateway;
        int family = IPAddress.Parse(prefix.IP).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 10 : 2;
        string json = "[{\"Family\":" + family.ToString(CultureInfo.InvariantCulture) + ",\"Prefix\":{\"IP\":\"" + prefix.IP + "\",\"Mask\":\"" + prefix.Mask
            + "\"},\"Gateway\":\"" + gateway + "\",\"PrimaryIP\":\"\"}]";
        return RawJson.Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }
}

/// <summary>The IPAM pool an address belongs to, as the export reads it from azure-vnet-ipam's state.</summary>
public readonly record struct IpamPoolOf(string Subnet, string Gateway);
