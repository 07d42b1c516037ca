using AzureCni.Cni;
using AzureCni.Json;

namespace AzureCni.Vnet.Config;

/// <summary>azure-vnet's own members of the network config (the protocol members are in CniRequest.Config).</summary>
[CniJsonObject]
public sealed partial class VnetConfigDocument
{
    public string? Master { get; set; }

    public string? Bridge { get; set; }

    public string? Mode { get; set; }

    public string? LogLevel { get; set; }
}

/// <summary>The data-path mode of a network.</summary>
public enum VnetMode
{
    Bridge,
    Transparent,
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

    /// <summary>ipam.type; azure-vnet-ipam is called in-process, anything else through delegation.</summary>
    public required string IpamType { get; init; }

    public bool InProcessIpam => IpamType == AzureVnetIpam;

    public static VnetConfig From(CniRequest request)
    {
        VnetConfigDocument doc;
        try
        {
            doc = CniJson.Parse<VnetConfigDocument>(request.StdinData.Span);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "azure-vnet: cannot read the network config: " + e.Message);
        }

        VnetMode mode = doc.Mode switch
        {
            null or "" or "bridge" => VnetMode.Bridge,
            "transparent" => VnetMode.Transparent,
            _ => throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"azure-vnet: mode \"{doc.Mode}\" is not supported on Linux (bridge or transparent)"),
        };
        bool debug = doc.LogLevel switch
        {
            null or "" or "info" => false,
            "debug" => true,
            _ => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: logLevel \"{doc.LogLevel}\" is not info or debug"),
        };
        string? bridge = Empty(doc.Bridge);
        if (bridge is not null && (bridge.Length > 15 || bridge.AsSpan().IndexOfAny("/: \t\n") >= 0))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"azure-vnet: bridge \"{bridge}\" is not a valid interface name");
        }

        return new VnetConfig
        {
            Network = request.Name,
            Mode = mode,
            Master = Empty(doc.Master),
            Bridge = bridge,
            Debug = debug,
            IpamType = Empty(request.Config.Ipam?.Type) ?? AzureVnetIpam,
        };
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
