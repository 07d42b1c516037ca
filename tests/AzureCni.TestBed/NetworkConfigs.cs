namespace AzureCni.TestBed;

/// <summary>The conflists the tests run: azure-vnet with azure-vnet-ipam on the wireserver, as on an AKS node.</summary>
public static class NetworkConfigs
{
    public const string Transparent = "transparent";
    public const string Bridge = "bridge";

    /// <summary>The bridge that bridge mode takes over the node's eth0 with.</summary>
    public const string BridgeName = "azure0";

    public static string AzureVnet(string mode, string name = "azure", string cniVersion = "1.0.0") => $$"""
        {
          "cniVersion": "{{cniVersion}}",
          "name": "{{name}}",
          "plugins": [
            {
              "type": "azure-vnet",
              "mode": "{{mode}}",
              "bridge": "{{BridgeName}}",
              "capabilities": { "portMappings": true },
              "ipam": { "type": "azure-vnet-ipam", "environment": "azure" }
            }
          ]
        }
        """;
}
