using System.Net;
using System.Text;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Vnet.Windows;

namespace AzureCni.Hns.Tests;

internal static class TestData
{
    public const string ContainerId = "7e2f4b1c9d8a6b5f4e3d2c1b0a9f8e7d6c5b4a3928170615f4e3d2c1b0a9f8e7";
    public const string EndpointName = "7e2f4b1c-eth0";

    /// <summary>The shipped Windows conflist's azure-vnet entry, with an ACL and the runtime's port mappings.</summary>
    public const string Config = """
    {
      "cniVersion": "1.0.0",
      "name": "azure",
      "type": "azure-vnet",
      "mode": "bridge",
      "bridge": "azure0",
      "capabilities": { "portMappings": true, "dns": true },
      "ipam": { "type": "azure-vnet-ipam" },
      "dns": { "Nameservers": [ "10.0.0.10", "168.63.129.16" ], "Search": [ "svc.cluster.local" ] },
      "AdditionalArgs": [
        { "Name": "EndpointPolicy", "Value": { "Type": "OutBoundNAT", "ExceptionList": [ "10.240.0.0/16", "10.0.0.0/8" ] } },
        { "Name": "EndpointPolicy", "Value": { "Type": "ROUTE", "DestinationPrefix": "10.0.0.0/8", "NeedEncap": true } },
        { "Name": "EndpointPolicy", "Value": { "Type": "ACL", "Protocols": "6", "Action": "Block", "Direction": "Out",
                                               "RemoteAddresses": "168.63.129.16/32", "RemotePorts": "80", "RuleType": "Switch", "Priority": 200 } },
        { "Name": "NetworkPolicy", "Value": { "Type": "VLAN", "VLAN": 7 } }
      ],
      "windowsSettings": { "enableLoopbackDSR": true, "hnsTimeoutDurationInSeconds": 30 },
      "adapterName": "Ethernet 2",
      "runtimeConfig": {
        "portMappings": [
          { "hostPort": 8080, "containerPort": 80, "protocol": "tcp" },
          { "hostPort": 5353, "containerPort": 53, "protocol": "UDP" }
        ]
      }
    }
    """;

    public static WindowsNetworkConfig ParseConfig(string json = Config) => WindowsNetworkConfig.Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// The same config with a 1 s HNS timeout, for the tests that make HNS slow on purpose. Every other test
    /// keeps 30 s, so a busy machine cannot turn an ordinary call into a timeout.
    /// </summary>
    public static WindowsNetworkConfig ParseShortTimeoutConfig()
        => ParseConfig(Config.Replace("\"hnsTimeoutDurationInSeconds\": 30", "\"hnsTimeoutDurationInSeconds\": 1", StringComparison.Ordinal));

    public static CniResult IpamResult(string address = "10.240.0.20")
    {
        var result = new CniResult();
        result.Ips.Add(new CniIPConfig { Address = new IPNetworkAddress(IPAddress.Parse(address), 12), Gateway = IPAddress.Parse("10.240.0.1") });
        result.Routes.Add(new CniRoute { Destination = IPNetwork.Parse("0.0.0.0/0"), Gateway = IPAddress.Parse("10.240.0.1") });
        return result;
    }

    public static CniRequest Request(CniCommand command, string netns, string containerId = ContainerId) => new()
    {
        Command = command,
        ContainerId = containerId,
        Netns = netns,
        IfName = "eth0",
        Config = new NetConf { Name = "azure", Type = "azure-vnet", CniVersion = "1.0.0" },
        PodNamespace = "default",
        PodName = "web-0",
    };
}
