using System.Net;

namespace AzureCni.Cni.Types;

/// <summary>
/// The version-independent result: the 1.1.0 superset. The host converts it to the config's cniVersion.
/// (Skeleton by the lead; the CNI core completes it.)
/// </summary>
public sealed class CniResult
{
    public List<CniInterface> Interfaces { get; } = [];
    public List<CniIPConfig> Ips { get; } = [];
    public List<CniRoute> Routes { get; } = [];
    public CniDns Dns { get; set; } = new();
}

public sealed class CniInterface
{
    public required string Name { get; init; }
    public string? Mac { get; init; }
    public int? Mtu { get; init; }
    public string? Sandbox { get; init; }

    /// <summary>1.1.0: the vhost-user socket of a userspace interface.</summary>
    public string? SocketPath { get; init; }

    /// <summary>1.1.0: the PCI address of a device-backed interface.</summary>
    public string? PciId { get; init; }
}

public sealed class CniIPConfig
{
    /// <summary>The address with its prefix length, e.g. 10.240.0.5/16.</summary>
    public required IPNetworkAddress Address { get; init; }
    public IPAddress? Gateway { get; init; }

    /// <summary>Index into <see cref="CniResult.Interfaces"/>, when known.</summary>
    public int? Interface { get; init; }
}

public sealed class CniRoute
{
    public required IPNetwork Destination { get; init; }
    public IPAddress? Gateway { get; init; }
    public int? Mtu { get; init; }
    public int? AdvMss { get; init; }
    public int? Priority { get; init; }
    public int? Table { get; init; }
    public int? Scope { get; init; }
}

public sealed class CniDns
{
    public List<string> Nameservers { get; } = [];
    public string? Domain { get; set; }
    public List<string> Search { get; } = [];
    public List<string> Options { get; } = [];
}

/// <summary>An address with the prefix length of its subnet (10.240.0.5/16), unlike IPNetwork which masks the host bits.</summary>
public readonly record struct IPNetworkAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";

    public bool IsIPv6 => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>Whether any of <paramref name="addresses"/> is IPv6 (a dual-stack pod's).</summary>
    public static bool AnyIPv6(IReadOnlyList<IPNetworkAddress> addresses)
    {
        foreach (var address in addresses)
        {
            if (address.IsIPv6)
                return true;
        }

        return false;
    }

    /// <summary>The subnet the address lies in (host bits cleared).</summary>
    public IPNetwork Network => new(IPText.Mask(Address, PrefixLength), PrefixLength);

    public static bool TryParse(ReadOnlySpan<char> text, out IPNetworkAddress value)
    {
        value = default;
        int slash = text.IndexOf('/');
        if (slash < 0
            || !IPText.TryParseAddress(text[..slash], out var address)
            || !IPText.TryParsePrefix(text[(slash + 1)..], address, out int prefix))
        {
            return false;
        }

        value = new IPNetworkAddress(address, prefix);
        return true;
    }
}
