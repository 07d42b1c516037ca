namespace AzureCni.Hns.Schema;

/// <summary>The v2 endpoint policy types this plugin sends, spelled as HNS expects them.</summary>
public static class EndpointPolicyTypes
{
    public const string OutBoundNat = "OutBoundNAT";
    public const string SdnRoute = "SDNRoute";
    public const string PortMapping = "PortMapping";
    public const string Acl = "ACL";
    public const string L4WfpProxy = "L4WFPPROXY";
}
