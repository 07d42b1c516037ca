using AzureCni.Json;

namespace AzureCni.Hns.Schema;

/// <summary>A v2 endpoint policy: {"Type": "...", "Settings": {...}}; build one with the factory methods.</summary>
[CniJsonObject]
public sealed partial class EndpointPolicy
{
    /// <summary>One of <see cref="EndpointPolicyTypes"/>.</summary>
    [JsonName("Type")]
    public string Type { get; set; } = "";

    [JsonName("Settings")]
    public EndpointPolicySettings? Settings { get; set; }

    /// <summary>SNAT of outbound traffic to the host address, except towards <paramref name="exceptions"/> (CIDRs).</summary>
    public static EndpointPolicy OutboundNat(IEnumerable<string> exceptions) => new()
    {
        Type = EndpointPolicyTypes.OutBoundNat,
        Settings = new EndpointPolicySettings { Exceptions = [.. exceptions] },
    };

    /// <summary>Loopback DSR: an OutBoundNAT policy whose destination is the pod's own address.</summary>
    public static EndpointPolicy LoopbackDsr(string podAddress) => new()
    {
        Type = EndpointPolicyTypes.OutBoundNat,
        Settings = new EndpointPolicySettings { Destinations = [podAddress] },
    };

    /// <summary>An SDN route (the v1 "ROUTE" policy): traffic to <paramref name="destinationPrefix"/>, encapsulated or not.</summary>
    public static EndpointPolicy SdnRoute(string destinationPrefix, bool needEncap) => new()
    {
        Type = EndpointPolicyTypes.SdnRoute,
        Settings = new EndpointPolicySettings { DestinationPrefix = destinationPrefix, NeedEncap = needEncap },
    };

    /// <summary>A host port mapped to a container port; <paramref name="protocol"/> is an IP protocol number (6 or 17).</summary>
    public static EndpointPolicy PortMapping(ushort internalPort, ushort externalPort, uint protocol, uint flags, string? vip = null) => new()
    {
        Type = EndpointPolicyTypes.PortMapping,
        Settings = new EndpointPolicySettings
        {
            InternalPort = internalPort,
            ExternalPort = externalPort,
            Protocol = protocol,
            Flags = flags,
            Vip = vip,
        },
    };
}
