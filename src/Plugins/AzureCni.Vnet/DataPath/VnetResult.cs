using System.Net;
using AzureCni.Cni;
using AzureCni.Cni.Types;

namespace AzureCni.Vnet.DataPath;

/// <summary>The ADD result of an attachment: its two interfaces, the IPAM's addresses, the data path's gateway and routes, the DNS.</summary>
internal static class VnetResult
{
    public static CniResult Build(CniRequest request, CniInterface host, CniInterface container, CniResult ipamResult, (IPAddress? Gateway, List<CniRoute> Routes) routing)
    {
        var result = new CniResult();
        result.Interfaces.Add(host);
        result.Interfaces.Add(container);
        foreach (var ip in ipamResult.Ips)
            result.Ips.Add(new CniIPConfig { Address = ip.Address, Gateway = Gateway(routing, ip), Interface = 1 });

        result.Routes.AddRange(routing.Routes);
        result.Dns = Dns(request, ipamResult.Dns);
        return result;
    }

    /// <summary>The data path's gateway of the address's family (its own, else its default route's), else the IPAM's.</summary>
    private static IPAddress? Gateway((IPAddress? Gateway, List<CniRoute> Routes) routing, CniIPConfig ip)
    {
        var family = ip.Address.Address.AddressFamily;
        if (routing.Gateway is { } own && own.AddressFamily == family)
            return own;
        var viaDefault = routing.Routes.Find(r => r.Destination.PrefixLength == 0 && r.Destination.BaseAddress.AddressFamily == family && r.Gateway is not null);
        return viaDefault?.Gateway ?? ip.Gateway;
    }

    /// <summary>runtimeConfig.dns over the config's dns over the IPAM's, field by field.</summary>
    private static CniDns Dns(CniRequest request, CniDns ipamDns)
    {
        var dns = new CniDns();
        var configDns = request.Config.Dns;
        var runtimeDns = request.Config.RuntimeConfig?.Dns;
        dns.Nameservers.AddRange(First(runtimeDns?.Servers, configDns?.Nameservers, ipamDns.Nameservers));
        dns.Search.AddRange(First(runtimeDns?.Searches, configDns?.Search, ipamDns.Search));
        dns.Options.AddRange(First(runtimeDns?.Options, configDns?.Options, ipamDns.Options));
        dns.Domain = !string.IsNullOrEmpty(configDns?.Domain) ? configDns.Domain : ipamDns.Domain;
        return dns;

        static List<string> First(List<string>? a, List<string>? b, List<string> c) => a is { Count: > 0 } ? a : b is { Count: > 0 } ? b : c;
    }
}
