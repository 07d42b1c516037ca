using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// What the address sources read (the wireserver's HTTP response, NMAgent's XML, interfaces.json), then what the
/// IPAM does with the listing: the pools, merged into a state, reservations, releases, and the state written back.
/// </summary>
public static class SourceTargets
{
    public const string Url = "http://168.63.129.16/machine/plugins?comp=nmagent&type=getinterfaceinfov1";

    // The node's NICs the listing is matched against (the seeds use these MACs).
    private static readonly LocalNic[] Nics =
    [
        new("eth0", LocalNics.NormalizeMac("00:0d:3a:6e:18:25")),
        new("eth1", LocalNics.NormalizeMac("00:0d:3a:6e:18:26")),
    ];

    /// <summary>HttpGet's parser; a malformed or non-200 response is an IOException.</summary>
    public static void RunHttpResponse(byte[] input) =>
        Refusal.Allow(() => HttpGet.ParseResponse(input, Url), static e => e is IOException);

    /// <summary>NmAgentSource's mapping: FormatException, and ArgumentException, which the source turns into one.</summary>
    public static void RunNmAgentXml(byte[] input)
    {
        var interfaces = Refusal.Allow(() => NmAgentXml.Parse(input), static e => e is FormatException or ArgumentException);
        if (interfaces is not null)
            UseListing("azure " + Url, interfaces);
    }

    /// <summary>InterfacesFileSource's mapping: JsonException and InvalidOperationException become FormatException.</summary>
    public static void RunInterfacesJson(byte[] input)
    {
        var interfaces = Refusal.Allow(() => IpamJson.ReadInterfaces(input), static e => e is JsonException or InvalidOperationException);
        if (interfaces is not null)
            UseListing("file /etc/kubernetes/interfaces.json", interfaces);
    }

    private static void UseListing(string identity, SourceInterfaces interfaces)
    {
        // A listing none of whose MACs is a local NIC is refused like any unusable listing.
        var pools = Refusal.Allow(() => PoolBuilder.Build(interfaces, Nics), static e => e is FormatException);
        if (pools is null)
            return;
        var state = new IpamState { Version = IpamState.CurrentVersion };
        PoolMerger.Merge(state, identity, pools);
        var scope = state.FindSource(identity)!.Subnets;
        for (int i = 0; i < 3; i++)
        {
            // Code 101: no free address in the listed pools.
            Refusal.Allow(() => AddressAllocator.Reserve(state, "azure", $"container-{i}", "eth0", new ReserveOptions(Scope: scope)), static e => e is CniException);
        }

        AddressAllocator.Release(state, "azure", "container-1", "eth0");
        AddressAllocator.Collect(state, "azure", [new GcAttachment { ContainerId = "container-0", IfName = "eth0" }]);

        // A second listing of the same source merges into the pools it made.
        PoolMerger.Merge(state, identity, PoolBuilder.Build(interfaces, Nics));
        StateRoundTrip.Check(state);
    }
}

/// <summary>A state the IPAM wrote must read back, and write the same bytes again.</summary>
public static class StateRoundTrip
{
    public static void Check(IpamState state)
    {
        byte[] written = IpamJson.WriteState(state);
        IpamState read;
        try
        {
            read = IpamJson.ReadState(written);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FuzzInvariantException("the IPAM wrote a state it cannot read: " + e.Message);
        }

        if (!IpamJson.WriteState(read).AsSpan().SequenceEqual(written))
            throw new FuzzInvariantException("the IPAM state does not write back the same after a read");
    }
}
