using AzureCni.Cni.Files;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.Sources;

/// <summary>Where the pools come from.</summary>
public interface IAddressSource
{
    /// <summary>Names the source and its location, e.g. "azure http://168.63.129.16/..."; stored with the pools it produced.</summary>
    string Identity { get; }

    /// <summary>A network query, rate-limited by queryInterval; local ones are read on every call.</summary>
    bool IsRemote { get; }

    /// <summary>The pools as the source lists them now; throws IOException or FormatException when it cannot be read.</summary>
    List<AddressPool> Load();
}

public static class AddressSources
{
    /// <summary>Largest pool environment "local" builds from a subnet (the state file grows with it).</summary>
    public const int LocalPoolLimit = 4096;

    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IAddressSource Create(IpamConfig config, Func<IReadOnlyList<LocalNic>>? localNics = null, Action<string>? warn = null)
    {
        localNics ??= () => LocalNics.Read();
        return config.Environment switch
        {
            IpamEnvironment.Local => new LocalSubnetSource(config.LocalSubnets),
            IpamEnvironment.Mas or IpamEnvironment.FileIpam => new InterfacesFileSource(config.EffectiveInterfacesFile, localNics, warn),
            _ => new NmAgentSource(config.EffectiveQueryUrl, QueryTimeout, localNics, warn),
        };
    }
}

/// <summary>environment azure: NMAgent's interface list through the wireserver.</summary>
public sealed class NmAgentSource(string url, TimeSpan timeout, Func<IReadOnlyList<LocalNic>> localNics, Action<string>? warn) : IAddressSource
{
    public string Identity => "azure " + url;

    public bool IsRemote => true;

    public List<AddressPool> Load()
    {
        byte[] body = HttpGet.Fetch(url, timeout);
        SourceInterfaces interfaces;
        try
        {
            interfaces = NmAgentXml.Parse(body);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("XML: " + e.Message, e);
        }

        return PoolBuilder.Build(interfaces, localNics(), warn);
    }
}

/// <summary>environments mas and fileIpam: the same listing as JSON in a file (/etc/kubernetes/interfaces.json).</summary>
public sealed class InterfacesFileSource(string path, Func<IReadOnlyList<LocalNic>> localNics, Action<string>? warn) : IAddressSource
{
    public string Identity => "file " + path;

    public bool IsRemote => false;

    public List<AddressPool> Load()
    {
        byte[] bytes = FilePrimitives.Current.ReadOrNull(path) ?? throw new FileNotFoundException($"{path} does not exist", path);

        SourceInterfaces interfaces;
        try
        {
            interfaces = IpamJson.ReadInterfaces(bytes);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }

        return PoolBuilder.Build(interfaces, localNics(), warn);
    }
}

/// <summary>
/// environment local: every host address of ipam.subnet (or of each of ipam.subnets, one per family: a dual-stack
/// node) but the gateway; for machines outside any cloud.
/// </summary>
public sealed class LocalSubnetSource(IReadOnlyList<string> subnets) : IAddressSource
{
    public LocalSubnetSource(string subnet)
        : this([subnet])
    {
    }

    public string Identity => "local " + string.Join(' ', subnets);

    public bool IsRemote => false;

    public List<AddressPool> Load()
    {
        var pools = new List<AddressPool>(subnets.Count);
        foreach (string subnet in subnets)
            pools.Add(PoolBuilder.BuildLocal(subnet, AddressSources.LocalPoolLimit));

        return pools;
    }
}
