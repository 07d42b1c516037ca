using System.Net;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.Sources;

/// <summary>
/// Turns what a source lists into pools: one per subnet of every interface that matches a local NIC,
/// with the non-primary addresses (primary ones belong to the host), secondary NICs preferred.
/// </summary>
public static class PoolBuilder
{
    /// <summary>The pools; FormatException (what every source's unusable listing is) when the source lists interfaces and none of them is a local NIC.</summary>
    public static List<AddressPool> Build(SourceInterfaces source, IReadOnlyList<LocalNic> localNics, Action<string>? warn = null)
    {
        var pools = new List<AddressPool>();
        int matched = 0;
        foreach (var nic in source.Interfaces)
        {
            string mac = LocalNics.NormalizeMac(nic.MacAddress);
            string? ifName = Match(mac, localNics);
            if (ifName is null)
            {
                warn?.Invoke($"interface {nic.MacAddress} matches no local NIC; its subnets are skipped");
                continue;
            }

            matched++;
            foreach (var subnet in nic.IPSubnets)
            {
                if (!IPText.TryParseNetwork(subnet.Prefix, out IPNetwork network))
                {
                    warn?.Invoke($"subnet \"{subnet.Prefix}\" is not a CIDR prefix; skipped");
                    continue;
                }

                string key = network.ToString();
                var pool = pools.Find(p => string.Equals(p.Subnet, key, StringComparison.Ordinal));
                if (pool is null)
                {
                    pool = new AddressPool
                    {
                        Subnet = key,
                        IfName = ifName,
                        Gateway = Gateway(subnet, network, warn).ToString(),
                        Priority = nic.IsPrimary ? 0 : 1,
                    };
                    pools.Add(pool);
                }

                var addresses = new List<IPAddress>();
                foreach (var address in subnet.IPAddresses)
                {
                    if (address.IsPrimary)
                        continue;

                    if (!IPAddress.TryParse(address.Address, out var ip) || !network.Contains(ip))
                    {
                        warn?.Invoke($"address \"{address.Address}\" is not in subnet {key}; skipped");
                        continue;
                    }

                    addresses.Add(ip);
                }

                AddSorted(pool, addresses);
            }
        }

        if (matched == 0 && source.Interfaces.Count > 0)
            throw NoLocalNic(source, localNics);

        return pools;
    }

    /// <summary>One pool holding every host address of a subnet but the gateway (and, for IPv4, network and broadcast); at most <paramref name="limit"/>.</summary>
    public static AddressPool BuildLocal(string subnet, int limit)
    {
        if (!IPText.TryParseNetwork(subnet, out IPNetwork network))
            throw new FormatException($"\"{subnet}\" is not a CIDR prefix");

        var gateway = IPText.FirstHost(network);
        var pool = new AddressPool
        {
            Subnet = network.ToString(),
            Gateway = gateway.ToString(),
        };
        UInt128 last = IPText.ToInteger(IPText.LastAddress(network));
        UInt128 first = IPText.ToInteger(gateway) + 1;
        bool v4 = network.BaseAddress.IsIPv4();
        for (UInt128 value = first; value <= last && pool.Addresses.Count < limit; value++)
        {
            if (v4 && value == last)
            {
                break; // broadcast
            }

            pool.Addresses.Add(new AddressRecord { Address = IPText.FromInteger(value, network.BaseAddress.AddressFamily).ToString() });
        }

        return pool;
    }

    // An IPv6 subnet gets prefix|::1 as well, as upstream's IPAM gives it; a gateway outside the subnet is ignored.
    private static IPAddress Gateway(SourceSubnet subnet, IPNetwork network, Action<string>? warn)
    {
        if (string.IsNullOrEmpty(subnet.Gateway))
            return IPText.FirstHost(network);

        if (IPText.TryParseAddress(subnet.Gateway, out var named) && network.Contains(named))
            return named;

        warn?.Invoke($"gateway \"{subnet.Gateway}\" is not in subnet {network}; using {IPText.FirstHost(network)}");
        return IPText.FirstHost(network);
    }

    private static string? Match(string mac, IReadOnlyList<LocalNic> localNics)
    {
        bool wildcard = mac.Length == 0 || mac == "*";
        foreach (var nic in localNics)
        {
            if (wildcard ? !string.Equals(nic.Name, "lo", StringComparison.Ordinal) : string.Equals(nic.Mac, mac, StringComparison.Ordinal))
                return nic.Name;
        }

        // A wildcard still matches on a host whose only interface is lo (a fresh namespace, a test).
        return wildcard ? "" : null;
    }

    private static void AddSorted(AddressPool pool, List<IPAddress> addresses)
    {
        foreach (var ip in addresses)
        {
            string text = ip.ToString();
            if (pool.Find(text) is null)
                pool.Addresses.Add(new AddressRecord { Address = text });
        }

        pool.Addresses.SortStable(static (a, b) => IPText.Compare(IPAddress.Parse(a.Address), IPAddress.Parse(b.Address)));
    }

    // The listing is for another machine (or the NICs are named by another MAC): say both sides, not "no pool".
    private static FormatException NoLocalNic(SourceInterfaces source, IReadOnlyList<LocalNic> localNics)
    {
        string listed = source.Interfaces.JoinedText(", ", i => i.MacAddress);
        string local = localNics.Count == 0 ? "none" : localNics.JoinedText(", ", n => n.Name + " " + n.Mac);
        return new FormatException(
            $"the address source lists interfaces with MAC {listed}, none of which is a NIC of this node (local NICs: {local})");
    }
}
