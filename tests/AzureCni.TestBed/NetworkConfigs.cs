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

    /// <summary>
    /// A dual-stack network through the reference host-local IPAM (delegated): node N's 10.240.N.5-34 and
    /// fd00:240::N:5-22, the fabric's gateways; host-local's state in the node's directory.
    /// </summary>
    public static string AzureVnetDualStack(string mode, SimNode node, int addresses = 30) => $$"""
        {
          "cniVersion": "1.0.0",
          "name": "azure",
          "plugins": [
            {
              "type": "azure-vnet",
              "mode": "{{mode}}",
              "bridge": "{{BridgeName}}",
              "ipam": {
                "type": "host-local",
                "dataDir": "{{Path.Combine(node.Directory, "host-local")}}",
                "ranges": [
                  [{ "subnet": "{{SimulatedAzure.VnetCidr}}", "rangeStart": "10.240.{{node.Index}}.5", "rangeEnd": "10.240.{{node.Index}}.{{4 + addresses}}", "gateway": "{{SimulatedAzure.Gateway}}" }],
                  [{ "subnet": "{{SimulatedAzure.VnetCidr6}}", "rangeStart": "fd00:240::{{node.Index}}:5", "rangeEnd": "fd00:240::{{node.Index}}:{{(4 + addresses).ToString("x", System.Globalization.CultureInfo.InvariantCulture)}}", "gateway": "{{SimulatedAzure.Gateway6}}" }]
                ]
              }
            }
          ]
        }
        """;
}
