using System.Net;
using AzureCni.Json;

namespace AzureCni.Ipam.Model;

/// <summary>One subnet the source lists, with the addresses the host may hand out in it.</summary>
[CniJsonObject]
public sealed partial class AddressPool
{
    private IPAddress? _gateway;
    private int _prefixLength = -1;

    /// <summary>The subnet in CIDR form; the pool's key, e.g. "10.240.0.0/16".</summary>
    public string Subnet { get; set; } = "";

    /// <summary>The local interface the subnet belongs to, or "" when not tied to one.</summary>
    public string IfName { get; set; } = "";

    /// <summary>The subnet's first host address (x.x.x.1, prefix::1), unless the source names another.</summary>
    public string Gateway { get; set; } = "";

    /// <summary>Higher is preferred: pools on secondary NICs get 1, on the primary NIC 0.</summary>
    public int Priority { get; set; }

    /// <summary>Address records, kept in ascending address order.</summary>
    public List<AddressRecord> Addresses { get; set; } = [];

    public int PrefixLength
    {
        get
        {
            if (_prefixLength < 0)
                _prefixLength = IPNetwork.Parse(Subnet).PrefixLength;

            return _prefixLength;
        }
    }

    public IPAddress GatewayAddress => _gateway ??= IPAddress.Parse(Gateway);

    /// <summary>An IPv6 subnet: a node whose source lists pools of both families is dual-stack.</summary>
    public bool IsIPv6 => Subnet.Contains(':', StringComparison.Ordinal);

    public int FreeCount() => Count().Free;

    /// <summary>The records by state: in use, free, stale (a stale one in use counts in both).</summary>
    public AddressCounts Count()
    {
        int inUse = 0, free = 0, stale = 0;
        foreach (var record in Addresses)
        {
            inUse += record.InUse ? 1 : 0;
            free += record.IsFree ? 1 : 0;
            stale += record.Stale ? 1 : 0;
        }

        return new AddressCounts(inUse, free, stale);
    }

    public AddressRecord? Find(string address)
    {
        foreach (var record in Addresses)
        {
            if (string.Equals(record.Address, address, StringComparison.Ordinal))
                return record;
        }

        return null;
    }
}
