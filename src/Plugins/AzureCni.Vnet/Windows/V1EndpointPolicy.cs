using AzureCni.Json;

namespace AzureCni.Vnet.Windows;

/// <summary>An EndpointPolicy value as configs write it (HNS v1 shape): the members the v2 translation reads.</summary>
[CniJsonObject]
public sealed partial class V1EndpointPolicy
{
    public string? Type { get; set; }

    // OutBoundNAT
    public List<string>? ExceptionList { get; set; }

    public List<string>? Exceptions { get; set; }

    public List<string>? Destinations { get; set; }

    [JsonName("VIP")]
    public string? Vip { get; set; }

    // ROUTE
    public string? DestinationPrefix { get; set; }

    public bool? NeedEncap { get; set; }

    // ACL
    public string? Id { get; set; }

    public ushort? Protocol { get; set; }

    public string? Protocols { get; set; }

    public string? Action { get; set; }

    public string? Direction { get; set; }

    public string? LocalAddresses { get; set; }

    public string? RemoteAddresses { get; set; }

    public string? LocalPorts { get; set; }

    public ushort? LocalPort { get; set; }

    public string? RemotePorts { get; set; }

    public ushort? RemotePort { get; set; }

    public string? RuleType { get; set; }

    public ushort? Priority { get; set; }
}
