using System.Net;
using System.Text;
using AzureCni.Cni.Types;

namespace AzureCni.Benchmarks.Json;

/// <summary>Realistic CNI documents for the JSON benchmarks.</summary>
internal static class CniSamples
{
    /// <summary>The azure-vnet element of the shipped Linux conflist, as the runtime derives it for a chained DEL.</summary>
    public static readonly byte[] PluginConfig = Encoding.UTF8.GetBytes("""
    {
      "cniVersion": "1.1.0",
      "name": "azure",
      "type": "azure-vnet",
      "mode": "transparent",
      "ipsToRouteViaHost": ["169.254.20.10"],
      "ipam": { "type": "azure-vnet-ipam" },
      "dns": { "nameservers": ["10.0.0.10", "168.63.129.16"], "search": ["svc.cluster.local"] },
      "runtimeConfig": {
        "portMappings": [ { "hostPort": 8080, "containerPort": 80, "protocol": "tcp", "hostIP": "" } ],
        "dns": { "servers": ["10.0.0.10"], "searches": ["default.svc.cluster.local"], "options": ["ndots:5"] }
      },
      "prevResult": {
        "cniVersion": "1.1.0",
        "interfaces": [ { "name": "eth0", "mac": "bb:bb:bb:bb:bb:bb", "mtu": 1500, "sandbox": "/var/run/netns/cni-1234" } ],
        "ips": [ { "address": "10.240.0.37/16", "gateway": "10.240.0.1", "interface": 0 } ],
        "routes": [ { "dst": "0.0.0.0/0", "gw": "10.240.0.1" } ],
        "dns": { "nameservers": ["168.63.129.16"] }
      }
    }
    """);

    /// <summary>A typical azure-vnet ADD result: three interfaces, one address, one route, DNS.</summary>
    public static CniResult Result()
    {
        var result = new CniResult();
        result.Interfaces.Add(new CniInterface { Name = "azure0", Mac = "00:0d:3a:11:22:33", Mtu = 1500 });
        result.Interfaces.Add(new CniInterface { Name = "azv3243", Mac = "aa:aa:aa:aa:aa:aa", Mtu = 1500 });
        result.Interfaces.Add(new CniInterface { Name = "eth0", Mac = "bb:bb:bb:bb:bb:bb", Mtu = 1500, Sandbox = "/var/run/netns/cni-1234" });
        result.Ips.Add(new CniIPConfig { Address = new(IPAddress.Parse("10.240.0.37"), 16), Gateway = IPAddress.Parse("10.240.0.1"), Interface = 2 });
        result.Routes.Add(new CniRoute { Destination = IPNetwork.Parse("0.0.0.0/0"), Gateway = IPAddress.Parse("169.254.1.1"), Mtu = 1450, Table = 254, Scope = 0 });
        result.Dns.Nameservers.Add("10.0.0.10");
        result.Dns.Search.Add("svc.cluster.local");
        return result;
    }
}
