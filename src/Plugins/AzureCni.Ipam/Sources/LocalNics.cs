using AzureCni.Cni.Collections;
using AzureCni.Cni.Files;

namespace AzureCni.Ipam.Sources;

/// <summary>A local network interface: its name and MAC (lower-case hex, no colons).</summary>
public readonly record struct LocalNic(string Name, string Mac);

/// <summary>Reads the local interfaces from sysfs (no netlink socket, no subprocess).</summary>
public static class LocalNics
{
    public const string SysClassNet = "/sys/class/net";

    public static List<LocalNic> Read(string root = SysClassNet)
    {
        var nics = new List<LocalNic>();
        if (!Directory.Exists(root))
            return nics;

        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(dir);
            string path = Path.Combine(dir, "address");
            byte[]? mac;
            try
            {
                mac = FilePrimitives.Current.ReadOrNull(path);
            }
            catch (IOException)
            {
                continue;
            }

            if (mac is null)
                continue;

            nics.Add(new LocalNic(name, NormalizeMac(System.Text.Encoding.ASCII.GetString(mac))));
        }

        // Lowest name first, so "first match wins" is stable across calls.
        nics.SortStable(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return nics;
    }

    /// <summary>"00:0D:3A:6E:18:25\n" and "000D3A6E1825" both become "000d3a6e1825".</summary>
    public static string NormalizeMac(string mac)
    {
        Span<char> buffer = stackalloc char[Math.Min(mac.Length, 64)];
        int length = 0;
        foreach (char c in mac.AsSpan(0, buffer.Length))
        {
            if (c is ':' or '-' or '\n' or '\r' or ' ')
                continue;

            buffer[length++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..length]);
    }
}
