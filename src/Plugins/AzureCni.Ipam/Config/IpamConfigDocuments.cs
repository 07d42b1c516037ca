using AzureCni.Json;

namespace AzureCni.Ipam.Config;

// The members of a network config azure-vnet-ipam reads; IpamConfig.Parse validates them into an IpamConfig.

/// <summary>The network config, as far as the IPAM is concerned.</summary>
[CniJsonObject]
public sealed partial class IpamNetConfDocument
{
    [JsonName("ipam")]
    public IpamSectionDocument? Ipam { get; set; }

    [JsonName("cni.dev/valid-attachments")]
    public List<AttachmentDocument>? ValidAttachments { get; set; }

    /// <summary>The name libcni 1.1 used before the spec settled on valid-attachments.</summary>
    [JsonName("cni.dev/attachments")]
    public List<AttachmentDocument>? LegacyAttachments { get; set; }
}

/// <summary>The "ipam" object.</summary>
[CniJsonObject]
public sealed partial class IpamSectionDocument
{
    public string? Type { get; set; }

    public string? Environment { get; set; }

    public string? Subnet { get; set; }

    public string? IpAddress { get; set; }

    /// <summary>Seconds; upstream declares it a string, so a string or a number is accepted.</summary>
    public RawJson QueryInterval { get; set; }

    public string? QueryUrl { get; set; }

    public string? InterfacesFile { get; set; }

    public string? AddressSpace { get; set; }
}

/// <summary>One entry of cni.dev/valid-attachments.</summary>
[CniJsonObject]
public sealed partial class AttachmentDocument
{
    [JsonName("containerID")]
    public string? ContainerId { get; set; }

    [JsonName("ifname")]
    public string? IfName { get; set; }
}
