using System.Buffers;
using System.Globalization;
using System.Net;
using AzureCni.Json;

namespace AzureCni.Cni.Types;

/// <summary>
/// Between the version-independent <see cref="CniResult"/> and each version's result document, with libcni's
/// conversion rules (cni-spec-and-peers.md §1.9): to 0.3.x/0.4.0 ips gain "version" and interfaces lose the
/// 1.1 fields while routes keep theirs; to 0.1.0/0.2.0 only the first IPv4 and first IPv6 address survive,
/// routes go under them by family with dst/gw only, and having no address is an error; 1.0.0 and 1.1.0 share
/// one shape.
/// </summary>
public static class CniResultConverter
{
    /// <summary>Builds the document of <paramref name="version"/>: a <see cref="Result020"/>, <see cref="Result040"/> or <see cref="Result100"/>.</summary>
    public static object ToDocument(CniResult result, SpecVersion version) => version switch
    {
        <= SpecVersion.V0_2_0 => ToResult020(result, version),
        <= SpecVersion.V0_4_0 => ToResult040(result, version),
        _ => ToResult100(result, version),
    };

    /// <summary>Writes <paramref name="result"/> as a <paramref name="version"/> result document.</summary>
    public static void Write(CniResult result, SpecVersion version, IBufferWriter<byte> output)
    {
        switch (ToDocument(result, version))
        {
            case Result020 r: CniJson.Write(r, output); break;
            case Result040 r: CniJson.Write(r, output); break;
            case Result100 r: CniJson.Write(r, output); break;
        }
    }

    public static Result100 ToResult100(CniResult result, SpecVersion version = SpecVersion.V1_1_0)
    {
        var doc = new Result100 { CniVersion = version.ToVersionString() };
        doc.Interfaces = Map(result.Interfaces, i => new InterfaceDoc
        {
            Name = i.Name,
            Mac = NullIfEmpty(i.Mac),
            Mtu = i.Mtu is 0 ? null : i.Mtu,
            Sandbox = NullIfEmpty(i.Sandbox),
            SocketPath = NullIfEmpty(i.SocketPath),
            PciId = NullIfEmpty(i.PciId),
        });
        doc.Ips = Map(result.Ips, ip => new IpConfigDoc
        {
            Interface = ip.Interface,
            Address = ip.Address.ToString(),
            Gateway = ip.Gateway?.ToString(),
        });
        doc.Routes = Map(result.Routes, ToRouteDoc);
        var dns = ToDnsDoc(result.Dns);
        doc.Dns = IsEmpty(dns) ? null : dns;
        return doc;
    }

    public static Result040 ToResult040(CniResult result, SpecVersion version = SpecVersion.V0_4_0)
    {
        var doc = new Result040 { CniVersion = version.ToVersionString() };
        doc.Interfaces = Map(result.Interfaces, i => new InterfaceDoc
        {
            Name = i.Name,
            Mac = NullIfEmpty(i.Mac),
            Sandbox = NullIfEmpty(i.Sandbox),
        });
        doc.Ips = Map(result.Ips, ip => new IpConfigDoc
        {
            Version = ip.Address.Address.IsIPv4() ? "4" : "6",
            Interface = ip.Interface,
            Address = ip.Address.ToString(),
            Gateway = ip.Gateway?.ToString(),
        });
        doc.Routes = Map(result.Routes, ToRouteDoc);
        doc.Dns = ToDnsDoc(result.Dns);
        return doc;
    }

    public static Result020 ToResult020(CniResult result, SpecVersion version = SpecVersion.V0_2_0)
    {
        var doc = new Result020 { CniVersion = version.ToVersionString(), Dns = ToDnsDoc(result.Dns) };
        foreach (var ip in result.Ips)
        {
            if (ip.Address.Address.IsIPv4())
                doc.Ip4 ??= new Ip020 { Ip = ip.Address.ToString(), Gateway = ip.Gateway?.ToString() };
            else
                doc.Ip6 ??= new Ip020 { Ip = ip.Address.ToString(), Gateway = ip.Gateway?.ToString() };
        }

        if (doc.Ip4 is null && doc.Ip6 is null)
        {
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                "cannot convert: no valid IP addresses",
                $"a {version.ToVersionString()} result needs at least one IP address");
        }

        foreach (var route in result.Routes)
        {
            var owner = route.Destination.BaseAddress.IsIPv4() ? doc.Ip4 : doc.Ip6;
            if (owner is not null)
                (owner.Routes ??= []).Add(new RouteDoc { Dst = FormatNetwork(route.Destination), Gw = route.Gateway?.ToString() });
        }

        return doc;
    }

    /// <summary>
    /// Reads a parsed result of any version into the model. A result without cniVersion is read as
    /// <paramref name="fallbackVersion"/> (libcni injects the config's version into a prevResult that lacks one).
    /// </summary>
    public static CniResult FromDocument(AnyResult doc, string? fallbackVersion, string what = "result")
    {
        string versionText = string.IsNullOrEmpty(doc.CniVersion) ? fallbackVersion ?? "" : doc.CniVersion;
        if (!CniVersion.TryParse(versionText, out var version))
        {
            throw new CniException(
                CniErrorCode.DecodingFailure,
                $"{what} has an unsupported cniVersion \"{versionText}\"",
                $"supported: {string.Join(", ", CniVersion.Supported)}");
        }

        var result = new CniResult();
        if (doc.Dns is { } dns)
        {
            result.Dns.Nameservers.AddRange(dns.Nameservers ?? []);
            result.Dns.Domain = dns.Domain;
            result.Dns.Search.AddRange(dns.Search ?? []);
            result.Dns.Options.AddRange(dns.Options ?? []);
        }

        if (version.IsLegacy())
        {
            // 0.2.0 -> 0.3.0 upstream: ip4 then ip6 become ips; their routes are appended in the same order.
            foreach (var (ip, name) in new[] { (doc.Ip4, "ip4"), (doc.Ip6, "ip6") })
            {
                if (ip is null)
                    continue;

                result.Ips.Add(new CniIPConfig
                {
                    Address = ParseAddress(ip.Ip, $"{what}.{name}.ip"),
                    Gateway = ParseOptionalIP(ip.Gateway, $"{what}.{name}.gateway"),
                });
                for (int r = 0; r < (ip.Routes?.Count ?? 0); r++)
                    result.Routes.Add(FromRouteDoc(ip.Routes![r], $"{what}.{name}.routes[{r}]"));
            }

            return result;
        }

        for (int i = 0; i < (doc.Interfaces?.Count ?? 0); i++)
        {
            var iface = doc.Interfaces![i];
            result.Interfaces.Add(new CniInterface
            {
                Name = iface.Name,
                Mac = iface.Mac,
                Mtu = iface.Mtu,
                Sandbox = iface.Sandbox,
                SocketPath = iface.SocketPath,
                PciId = iface.PciId,
            });
        }

        for (int i = 0; i < (doc.Ips?.Count ?? 0); i++)
        {
            var ip = doc.Ips![i];
            result.Ips.Add(new CniIPConfig
            {
                Address = ParseAddress(ip.Address, $"{what}.ips[{i}].address"),
                Gateway = ParseOptionalIP(ip.Gateway, $"{what}.ips[{i}].gateway"),
                Interface = ip.Interface,
            });
        }

        for (int r = 0; r < (doc.Routes?.Count ?? 0); r++)
            result.Routes.Add(FromRouteDoc(doc.Routes![r], $"{what}.routes[{r}]"));

        return result;
    }

    private static RouteDoc ToRouteDoc(CniRoute route) => new()
    {
        Dst = FormatNetwork(route.Destination),
        Gw = route.Gateway?.ToString(),
        Mtu = route.Mtu is 0 ? null : route.Mtu,
        AdvMss = route.AdvMss is 0 ? null : route.AdvMss,
        Priority = route.Priority is 0 ? null : route.Priority,
        Table = route.Table,
        Scope = route.Scope,
    };

    private static CniRoute FromRouteDoc(RouteDoc route, string what)
    {
        if (!IPText.TryParseNetwork(route.Dst, out var dst))
            throw new CniException(CniErrorCode.DecodingFailure, $"invalid CIDR \"{route.Dst}\" in {what}.dst");

        return new CniRoute
        {
            Destination = dst,
            Gateway = ParseOptionalIP(route.Gw, what + ".gw"),
            Mtu = route.Mtu,
            AdvMss = route.AdvMss,
            Priority = route.Priority,
            Table = route.Table,
            Scope = route.Scope,
        };
    }

    private static DnsDoc ToDnsDoc(CniDns dns) => new()
    {
        Nameservers = dns.Nameservers.Count == 0 ? null : [.. dns.Nameservers],
        Domain = NullIfEmpty(dns.Domain),
        Search = dns.Search.Count == 0 ? null : [.. dns.Search],
        Options = dns.Options.Count == 0 ? null : [.. dns.Options],
    };

    private static bool IsEmpty(DnsDoc dns) => dns.Nameservers is null && dns.Domain is null && dns.Search is null && dns.Options is null;

    private static IPNetworkAddress ParseAddress(string text, string what) =>
        IPNetworkAddress.TryParse(text, out var value)
            ? value
            : throw new CniException(CniErrorCode.DecodingFailure, $"invalid CIDR address \"{text}\" in {what}");

    private static IPAddress? ParseOptionalIP(string? text, string what)
    {
        if (string.IsNullOrEmpty(text))
            return null;

        return IPText.TryParseAddress(text, out var address)
            ? address
            : throw new CniException(CniErrorCode.DecodingFailure, $"invalid IP address \"{text}\" in {what}");
    }

    private static string FormatNetwork(IPNetwork network) =>
        string.Create(CultureInfo.InvariantCulture, $"{network.BaseAddress}/{network.PrefixLength}");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static List<TOut>? Map<TIn, TOut>(List<TIn> items, Func<TIn, TOut> map)
    {
        if (items.Count == 0)
            return null;

        var list = new List<TOut>(items.Count);
        foreach (var item in items)
            list.Add(map(item));

        return list;
    }
}
