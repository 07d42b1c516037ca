namespace AzureCni.TestBed;

/// <summary>The conflists the tests run: azure-vnet with azure-vnet-ipam on the wireserver, as on an AKS node.</summary>
public static class NetworkConfigs
{
    public const string Transparent = "transparent";
    public const string Bridge = "bridge";

    /// <summary>The bridge that bridge mode takes over the node's eth0 with.</summary>
    public const string BridgeName = "azure0";

    /// <summary>azure-vnet-ipam's sources: the wireserver (NMAgent), or the node's interfaces.json simnet writes.</summary>
    public const string Wireserver = "azure";
    public const string InterfacesFile = "fileIpam";

    /// <summary>The <c>ipam</c> section of azure-vnet-ipam reading <paramref name="environment"/> on <paramref name="node"/>.</summary>
    public static string AzureVnetIpam(string environment, SimNode node) => environment == InterfacesFile
        ? $$"""{ "type": "azure-vnet-ipam", "environment": "{{InterfacesFile}}", "interfacesFile": "{{Path.Combine(node.Directory, "interfaces.json")}}" }"""
        : WireserverIpam;

    private const string WireserverIpam = """{ "type": "azure-vnet-ipam", "environment": "azure" }""";

    /// <summary>azure-vnet with <paramref name="ipam"/> (azure-vnet-ipam on the wireserver when null).</summary>
    public static string AzureVnet(string mode, string name = "azure", string cniVersion = "1.0.0", string? ipam = null) => $$"""
        {
          "cniVersion": "{{cniVersion}}",
          "name": "{{name}}",
          "plugins": [
            {
              "type": "azure-vnet",
              "mode": "{{mode}}",
              "bridge": "{{BridgeName}}",
              "capabilities": { "portMappings": true },
              "ipam": {{ipam ?? WireserverIpam}}
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

    /// <summary>NodeLocal DNS's address, the one upstream's Linux conflists route via the host.</summary>
    public const string NodeLocalDns = "169.254.20.10";

    /// <summary>
    /// Upstream's <c>cni/azure-linux.conflist</c> of its bridge-mode days, field for field: bridge <c>azure0</c>,
    /// <c>ipsToRouteViaHost</c>, a <c>networkMonitor</c> this implementation ignores, and the reference <c>portmap</c>
    /// chained with <c>snat</c>. Upstream ships it at cniVersion 0.3.0, which has no CHECK; a test that CHECKs asks
    /// for a later version. Upstream's dual-stack nodes add <c>"ipv6Mode":"ipv6nat"</c> to it (<paramref name="ipv6Mode"/>).
    /// </summary>
    public static string UpstreamBridge(string cniVersion = "0.3.0", string? ipv6Mode = null) => $$"""
        {
           "cniVersion":"{{cniVersion}}",
           "name":"azure",
           "plugins":[
              {
                 "type":"azure-vnet",
                 "mode":"bridge",
                 "bridge":"{{BridgeName}}",
                 "ipsToRouteViaHost":["{{NodeLocalDns}}"],{{(ipv6Mode is null ? "" : $"\n                 \"ipv6Mode\":\"{ipv6Mode}\",")}}
                 "ipam":{
                    "type":"azure-vnet-ipam"
                 },
                 "networkMonitor":{
                     "name":"azure-cnms"
                 }
              },
              {
                 "type":"portmap",
                 "capabilities":{
                    "portMappings":true
                 },
                 "snat":true
              }
           ]
        }
        """;

    /// <summary>
    /// Upstream's <c>azure-transparent-tunnel.conflist</c> (its build rewrites the mode of <c>cni/azure-linux.conflist</c>,
    /// which keeps <c>ipsToRouteViaHost</c>, ignored in this mode), with the reference <c>portmap</c> chained.
    /// </summary>
    public static string UpstreamTransparentTunnel(string cniVersion = "0.3.0") => $$"""
        {
           "cniVersion":"{{cniVersion}}",
           "name":"azure",
           "plugins":[
              {
                 "type":"azure-vnet",
                 "mode":"transparent-tunnel",
                 "ipsToRouteViaHost":["{{NodeLocalDns}}"],
                 "ipam":{
                    "type":"azure-vnet-ipam"
                 }
              },
              {
                 "type":"portmap",
                 "capabilities":{
                    "portMappings":true
                 },
                 "snat":true
              }
           ]
        }
        """;
}
