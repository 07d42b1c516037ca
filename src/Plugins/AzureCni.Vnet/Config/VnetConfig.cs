using AzureCni.Cni;
using AzureCni.Cni.Types;

namespace AzureCni.Vnet.Config;

/// <summary>The data-path mode of a network.</summary>
public enum VnetMode
{
    Bridge,
    Transparent,

    /// <summary>Transparent, with traffic between pods of the node sent through the fabric (upstream's transparent-tunnel).</summary>
    TransparentTunnel,
}

/// <summary>The validated view of the config azure-vnet acts on.</summary>
public sealed class VnetConfig
{
    public const string AzureVnetIpam = "azure-vnet-ipam";

    public required string Network { get; init; }

    public required VnetMode Mode { get; init; }

    /// <summary>The master NIC's name, when the config names it (else found by the IPAM subnet).</summary>
    public string? Master { get; init; }

    /// <summary>The bridge's name, when the config names it (else azure&lt;master ifindex&gt;).</summary>
    public string? Bridge { get; init; }

    public bool Debug { get; init; }

    /// <summary>
    /// <c>ipsToRouteViaHost</c>: IPv4 addresses (NodeLocal DNS's 169.254.20.10) whose frames a bridge-mode pod sends
    /// go up to the node's IP stack instead of through the bridge. Empty in the other modes, which ignore the field, as upstream.
    /// </summary>
    public IReadOnlyList<System.Net.IPAddress> IpsToRouteViaHost { get; init; } = [];

    /// <summary>
    /// <c>ipv6Mode</c> (upstream's dual-stack switch, <c>ipv6nat</c> in its conflists): each pod must get an IPv6 address
    /// beside its IPv4 one. Upstream asks a second IPAM for it and NATs it to the node's; here the one IPAM hands out
    /// an IPv6 secondary the fabric routes, so no NAT is needed and the value itself changes nothing else.
    /// </summary>
    public string? Ipv6Mode { get; init; }

    public bool RequiresIpv6 => Ipv6Mode is not null;

    /// <summary>ipam.type; azure-vnet-ipam is called in-process, anything else through delegation.</summary>
    public required string IpamType { get; init; }

    public bool InProcessIpam => IpamType == AzureVnetIpam;

    /// <summary>azure-vnet's own members (master, bridge, mode, logLevel), from the fields the host's parse kept.</summary>
    public static VnetConfig From(CniRequest request)
    {
        var members = request.Config.Unknown;
        string? modeName = ConfigMembers.String(members, "mode", "azure-vnet");
        string? logLevel = ConfigMembers.String(members, "logLevel", "azure-vnet");
        VnetMode mode = modeName switch
        {
            null or "" or "bridge" => VnetMode.Bridge,
            "transparent" => VnetMode.Transparent,
            "transparent-tunnel" => VnetMode.TransparentTunnel,
            _ => throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"azure-vnet: mode \"{modeName}\" is not supported on Linux (bridge, transparent or transparent-tunnel)"),
        };
        bool debug = logLevel switch
        {
            null or "" or "info" => false,
            "debug" => true,
            _ => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: logLevel \"{logLevel}\" is not info or debug"),
        };
        string? bridge = Empty(ConfigMembers.String(members, "bridge", "azure-vnet"));
        if (bridge is not null && (bridge.Length > 15 || bridge.AsSpan().IndexOfAny("/: \t\n") >= 0))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: bridge \"{bridge}\" is not a valid interface name");
        }

        return new VnetConfig
        {
            Network = request.Name,
            Mode = mode,
            Master = Empty(ConfigMembers.String(members, "master", "azure-vnet")),
            Bridge = bridge,
            Debug = debug,
            Ipv6Mode = Empty(ConfigMembers.String(members, "ipv6Mode", "azure-vnet")),
            IpsToRouteViaHost = ViaHostAddresses(ConfigMembers.Strings(members, "ipsToRouteViaHost", "azure-vnet") ?? [], mode),
            IpamType = Empty(request.Config.Ipam?.Type) ?? AzureVnetIpam,
        };
    }

    /// <summary>The addresses, in bridge mode; the other modes ignore them unread, as upstream.</summary>
    private static List<System.Net.IPAddress> ViaHostAddresses(List<string> texts, VnetMode mode)
    {
        var addresses = new List<System.Net.IPAddress>(texts.Count);
        if (mode != VnetMode.Bridge)
            return addresses;
        foreach (string text in texts)
        {
            // Upstream hands the text to ebtables' --ip-dst, an IPv4 match.
            if (!System.Net.IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
                || text.Contains('/', StringComparison.Ordinal))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: ipsToRouteViaHost entry \"{text}\" is not an IPv4 address");
            }

            if (!addresses.Contains(address))
                addresses.Add(address);
        }

        return addresses;
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
