using System.Net.Sockets;
using System.Text;

namespace AzureCni.Netlink;

/// <summary>
/// Per-interface kernel settings under <c>/proc/sys/net</c>, written directly (no <c>sysctl</c> process).
/// They apply to the network namespace of the calling thread: to change a container's, call them inside
/// <see cref="NetworkNamespace.Run(Action)"/>.
/// </summary>
public static class Sysctl
{
    private const string Root = "/proc/sys/";

    /// <summary>Equivalent to: <c>sysctl -w net.ipv4.conf.IF.proxy_arp=0|1</c>.</summary>
    public static void SetProxyArp(string interfaceName, bool enabled) =>
        SetInterfaceValue(AddressFamily.InterNetwork, interfaceName, "proxy_arp", enabled ? "1" : "0");

    /// <summary>Equivalent to: <c>sysctl -w net.ipv6.conf.IF.accept_ra=N</c> (0 off, 1 on unless forwarding, 2 always).</summary>
    public static void SetAcceptRouterAdvertisements(string interfaceName, int value) =>
        SetInterfaceValue(AddressFamily.InterNetworkV6, interfaceName, "accept_ra", value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Equivalent to: <c>sysctl -w net.ipv{4,6}.conf.IF.forwarding=0|1</c>.</summary>
    public static void SetForwarding(AddressFamily family, string interfaceName, bool enabled) =>
        SetInterfaceValue(family, interfaceName, "forwarding", enabled ? "1" : "0");

    /// <summary>Writes <c>/proc/sys/net/ipv{4,6}/conf/IF/KEY</c>.</summary>
    public static void SetInterfaceValue(AddressFamily family, string interfaceName, string key, string value) =>
        Write(InterfacePath(family, interfaceName, key), value);

    /// <summary>Reads <c>/proc/sys/net/ipv{4,6}/conf/IF/KEY</c>, trimmed.</summary>
    public static string GetInterfaceValue(AddressFamily family, string interfaceName, string key) =>
        Read(InterfacePath(family, interfaceName, key));

    /// <summary>Writes a value to a file under /proc/sys.</summary>
    public static void Write(string path, string value)
    {
        RequireUnderRoot(path);
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        int length = Encoding.UTF8.GetBytes(value, bytes);
        bytes[length++] = (byte)'\n';
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, bytes[..length], fileOffset: 0);
    }

    /// <summary>Reads a file under /proc/sys, trimmed.</summary>
    public static string Read(string path)
    {
        RequireUnderRoot(path);
        Span<byte> bytes = stackalloc byte[256];
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        int length = RandomAccess.Read(handle, bytes, fileOffset: 0);
        return Encoding.UTF8.GetString(bytes[..length]).Trim();
    }

    private static string InterfacePath(AddressFamily family, string interfaceName, string key)
    {
        IfName.Validate(interfaceName);
        if (key.Length == 0 || key.Contains('/') || key.Contains(".."))
            throw new ArgumentException($"Invalid sysctl key '{key}'.", nameof(key));
        string ipVersion = family switch
        {
            AddressFamily.InterNetwork => "ipv4",
            AddressFamily.InterNetworkV6 => "ipv6",
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Only IPv4 and IPv6 have per-interface settings."),
        };
        return $"{Root}net/{ipVersion}/conf/{interfaceName}/{key}";
    }

    private static void RequireUnderRoot(string path)
    {
        if (!path.StartsWith(Root, StringComparison.Ordinal) || path.Contains(".."))
            throw new ArgumentException($"'{path}' is not under {Root}.", nameof(path));
    }
}
