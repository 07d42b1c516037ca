using System.Net;
using System.Net.Sockets;
using AzureCni.Cni.Types;
using AzureCni.Cni.Files;
using AzureCni.Vnet.Ipam;

namespace AzureCni.Vnet.HostCheck;

/// <summary>The VNet address space outbound masquerade must exempt.</summary>
internal static class VnetAddressSpace
{
    /// <summary>Parses a CIDR, host bits allowed ("10.240.0.4/16" is 10.240.0.0/16); IPv4 only, as iptables is.</summary>
    public static bool TryParse(string text, out IPNetwork network)
    {
        network = default;
        int slash = text.IndexOf('/');
        if (slash <= 0
            || !IPText.TryParseAddress(text.AsSpan(0, slash), out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !IPText.TryParsePrefix(text.AsSpan(slash + 1), address, out int prefix))
        {
            return false;
        }

        network = new IPNetwork(IPText.Mask(address, prefix), prefix);
        return true;
    }

    /// <summary>
    /// The smallest IPv4 prefix covering every subnet azure-vnet-ipam's state file lists (a VNet's subnets share its
    /// address space), or null when the state file is absent, unreadable or lists no IPv4 subnet.
    /// </summary>
    public static IPNetwork? FromIpamState(out string source)
    {
        List<IPNetwork> subnets = [];
        string where = "";
        try
        {
            foreach (string text in IpamBackend.Local(PluginPaths.StateDirOfProcess()).PoolSubnets(out where))
            {
                if (TryParse(text, out var subnet))
                    subnets.Add(subnet);
            }
        }
        catch (IOException)
        {
            source = where;
            return null;
        }

        source = where;
        return subnets.Count == 0 ? null : Covering(subnets);
    }

    /// <summary>The longest prefix that every network in <paramref name="networks"/> falls inside.</summary>
    public static IPNetwork Covering(IReadOnlyList<IPNetwork> networks)
    {
        uint first = ToUInt32(networks[0].BaseAddress);
        int prefix = networks[0].PrefixLength;
        foreach (var network in networks)
        {
            prefix = Math.Min(prefix, network.PrefixLength);
            uint diff = first ^ ToUInt32(network.BaseAddress);
            if (diff != 0)
            {
                prefix = Math.Min(prefix, System.Numerics.BitOperations.LeadingZeroCount(diff));
            }
        }

        return new IPNetwork(IPText.Mask(networks[0].BaseAddress, prefix), prefix);
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
