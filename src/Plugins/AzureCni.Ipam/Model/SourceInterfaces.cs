namespace AzureCni.Ipam.Model;

// What a source reports, in the shape of NMAgent's getinterfaceinfov1 and of interfaces.json:
// {"Interfaces":[{"MacAddress":"000D3A6E1825","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16",
//   "IPAddresses":[{"Address":"10.240.0.4","IsPrimary":true}]}]}]}

public sealed class SourceInterfaces
{
    public List<SourceInterface> Interfaces { get; set; } = [];
}

public sealed class SourceInterface
{
    /// <summary>12 hex digits, any case, colons allowed; "" or "*" match any local interface.</summary>
    public string MacAddress { get; set; } = "";

    public bool IsPrimary { get; set; }

    public List<SourceSubnet> IPSubnets { get; set; } = [];
}

public sealed class SourceSubnet
{
    public string Prefix { get; set; } = "";

    public List<SourceAddress> IPAddresses { get; set; } = [];
}

public sealed class SourceAddress
{
    public string Address { get; set; } = "";

    public bool IsPrimary { get; set; }
}
