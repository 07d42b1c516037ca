using System.Globalization;
using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Json;

namespace AzureCni.Ipam.Config;

/// <summary>
/// The part of the network config azure-vnet-ipam reads: the "ipam" object (the GC valid-attachments list is the
/// CNI core's, <c>CniRequest.ValidAttachments</c>).
/// </summary>
public sealed class IpamConfig
{
    public const string DefaultInterfacesFile = "/etc/kubernetes/interfaces.json";
    public const string DefaultQueryUrl = "http://168.63.129.16/machine/plugins?comp=nmagent&type=getinterfaceinfov1";
    public const int DefaultQueryIntervalSeconds = 10;

    public string Type { get; set; } = "";

    /// <summary>azure (default), mas, fileIpam or local.</summary>
    public string Environment { get; set; } = IpamEnvironment.Azure;

    /// <summary>The pool to allocate from; for environment local, the subnet that makes the pool.</summary>
    public string? Subnet { get; set; }

    /// <summary>
    /// ipam.subnets: the pools to allocate from, at most one per family (["10.244.1.0/24", "fd00:244:1::/120"] for a
    /// dual-stack pod); for environment local, the subnets that make the pools. Canonical CIDRs; empty when absent.
    /// </summary>
    public IReadOnlyList<string> Subnets { get; set; } = [];

    /// <summary>The subnets environment local makes pools of: ipam.subnets, else ipam.subnet.</summary>
    public IReadOnlyList<string> LocalSubnets => Subnets.Count > 0 ? Subnets : string.IsNullOrEmpty(Subnet) ? [] : [Subnet];

    /// <summary>A specific address to reserve (ADD) or release (DEL).</summary>
    public string? IpAddress { get; set; }

    public int QueryIntervalSeconds { get; set; } = DefaultQueryIntervalSeconds;

    public string? QueryUrl { get; set; }

    public string? InterfacesFile { get; set; }

    /// <summary>Only the "local" address space exists (upstream's "global" was never populated).</summary>
    public string? AddressSpace { get; set; }

    public string EffectiveQueryUrl => string.IsNullOrEmpty(QueryUrl) ? DefaultQueryUrl : QueryUrl;

    public string EffectiveInterfacesFile => string.IsNullOrEmpty(InterfacesFile) ? DefaultInterfacesFile : InterfacesFile;

    /// <summary>Parses a whole network config; throws CniException 6 when it does not decode, 7 when a value is unusable.</summary>
    public static IpamConfig Parse(ReadOnlySpan<byte> json)
    {
        NetConf conf;
        try
        {
            conf = CniJson.Parse<NetConf>(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "failed to parse the network config: " + e.Message);
        }

        return From(conf);
    }

    /// <summary>The "ipam" object of a config the host already parsed (its members kept raw by <see cref="IpamConf"/>).</summary>
    public static IpamConfig From(NetConf conf)
    {
        var members = conf.Ipam?.Unknown;

        // JSON null, like an absent or empty value, means the default (azure), as upstream reads it.
        string? environment = Member(members, "environment");
        var config = new IpamConfig
        {
            Type = conf.Ipam?.Type ?? "",
            Environment = string.IsNullOrEmpty(environment) ? IpamEnvironment.Azure : environment,
            Subnet = Member(members, "subnet"),
            Subnets = CanonicalSubnets(ConfigMembers.Strings(members, "subnets", "ipam")),
            IpAddress = Member(members, "ipAddress"),
            QueryIntervalSeconds = Seconds(ConfigMembers.Raw(members, "queryInterval")),
            QueryUrl = Member(members, "queryUrl"),
            InterfacesFile = Member(members, "interfacesFile"),
            AddressSpace = Member(members, "addressSpace"),
        };
        config.Validate();
        if (Member(members, "mode") is { Length: > 0 } mode)
        {
            Cni.Logging.PluginWarnings.Write("azure-vnet-ipam",
                $"ipam.mode \"{mode}\" is ignored: it selects a mode of upstream's CNS IPAM (ipam.type azure-cns), not of azure-vnet-ipam");
        }

        return config;
    }

    private static string? Member(JsonFieldBag? members, string name) => ConfigMembers.String(members, name, "ipam");

    // Pools are keyed by the canonical CIDR ("fd00:244:1::/120"): the config's spelling must not matter.
    private static List<string> CanonicalSubnets(List<string>? subnets)
    {
        var canonical = new List<string>(subnets?.Count ?? 0);
        bool v4 = false;
        bool v6 = false;
        foreach (string subnet in subnets ?? [])
        {
            if (!AzureCni.Cni.Types.IPText.TryParseNetwork(subnet, out System.Net.IPNetwork network))
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"ipam.subnets: \"{subnet}\" is not a CIDR prefix");

            bool six = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            if (six ? v6 : v4)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"ipam.subnets lists two IPv{(six ? 6 : 4)} subnets; a pod gets one address per family, name at most one of each");
            }

            v4 |= !six;
            v6 |= six;
            canonical.Add(network.ToString());
        }

        return canonical;
    }

    private void Validate()
    {
        if (string.Equals(Environment, IpamEnvironment.Ipv6NodeIpam, StringComparison.Ordinal))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"ipam.environment \"{Environment}\" is upstream's IPv6 node IPAM (azure-vnet-ipamv6), which reads the node's podCIDR from Kubernetes and is not implemented",
                "use azure, mas, fileIpam or local: azure-vnet-ipam hands out IPv4 and IPv6 from the node's own address source, and azure-vnet with ipv6Mode needs no second IPAM");
        }

        if (!IpamEnvironment.IsKnown(Environment))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"unknown ipam.environment \"{Environment}\"; expected azure, mas, fileIpam or local");
        }

        if (!string.IsNullOrEmpty(AddressSpace) && !string.Equals(AddressSpace, "local", StringComparison.Ordinal))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"ipam.addressSpace \"{AddressSpace}\" has no pools; only \"local\" is served");
        }

        if (QueryIntervalSeconds < 0)
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "ipam.queryInterval must not be negative");

        if (!string.IsNullOrEmpty(Subnet) && !AzureCni.Cni.Types.IPText.TryParseNetwork(Subnet, out _))
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"ipam.subnet \"{Subnet}\" is not a CIDR prefix");

        if (!string.IsNullOrEmpty(IpAddress) && !System.Net.IPAddress.TryParse(IpAddress, out _))
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"ipam.ipAddress \"{IpAddress}\" is not an IP address");

        if (!string.IsNullOrEmpty(Subnet) && Subnets.Count > 0)
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "ipam.subnet and ipam.subnets are both set; use one");

        bool local = string.Equals(Environment, IpamEnvironment.Local, StringComparison.Ordinal);
        if (local && LocalSubnets.Count == 0)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "ipam.environment \"local\" needs ipam.subnet (or ipam.subnets), the subnet to hand addresses out from");
        }

        foreach (string subnet in local ? LocalSubnets : [])
        {
            if (!HasHostAddressBeyondGateway(subnet))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"ipam.subnet \"{subnet}\" has no address to hand out besides its gateway; environment \"local\" needs a prefix of /30 or shorter (IPv6: /126)");
            }
        }
    }

    // The local pool is the subnet's hosts minus the first (the gateway) and, in IPv4, the broadcast;
    // a /31 or /32 (/127, /128) leaves none and would wrap around past the end of the prefix.
    private static bool HasHostAddressBeyondGateway(string subnet)
    {
        AzureCni.Cni.Types.IPText.TryParseNetwork(subnet, out System.Net.IPNetwork network);
        int bits = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return bits - network.PrefixLength >= 2;
    }

    // Upstream declares queryInterval as a string; accept a number too.
    private static int Seconds(RawJson value)
    {
        var reader = new Utf8JsonReader(value.Span);
        if (value.IsEmpty || !reader.Read() || reader.TokenType == JsonTokenType.Null)
            return DefaultQueryIntervalSeconds;

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int number))
            return number;

        if (reader.TokenType == JsonTokenType.String)
        {
            string text = reader.GetString()!;
            if (text.Length == 0)
                return DefaultQueryIntervalSeconds;

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number))
                return number;
        }

        throw new CniException(CniErrorCode.DecodingFailure, "ipam.queryInterval must be a whole number of seconds");
    }
}

public static class IpamEnvironment
{
    public const string Azure = "azure";
    public const string Mas = "mas";
    public const string FileIpam = "fileIpam";
    public const string Local = "local";

    /// <summary>Upstream's IPv6 node IPAM (azure-vnet-ipamv6); recognised to be refused by name.</summary>
    public const string Ipv6NodeIpam = "ipv6NodeIpam";

    public static bool IsKnown(string environment) =>
        environment is Azure or Mas or FileIpam or Local;
}
