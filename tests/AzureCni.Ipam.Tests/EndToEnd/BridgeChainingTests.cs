using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.EndToEnd;

/// <summary>azure-vnet-ipam as the IPAM of the reference bridge plugin, for real, inside test namespaces only.</summary>
[Collection(PluginBinaryCollection.Name)]
public sealed partial class BridgeChainingTests(PluginBinaryFixture binary) : IDisposable
{
    private const string BridgePlugin = "/usr/lib/cni/bridge";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StateDir => _dir.File("state");

    /// <summary>libcni over a conflist of the reference bridge plugin with azure-vnet-ipam reading <paramref name="listing"/> as its interfaces file.</summary>
    private Libcni BridgeOverFileIpam(string listing, string bridge)
    {
        Assert.True(File.Exists(BridgePlugin), BridgePlugin + " missing (Debian's containernetworking-plugins)");
        File.WriteAllText(_dir.File("interfaces.json"), listing);
        var libcni = new Libcni(binary, _dir.Path, StateDir);
        libcni.WriteConflist($$$"""
            {"type":"bridge","bridge":"{{{bridge}}}","isGateway":true,"ipMasq":false,
             "ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{{_dir.File("interfaces.json")}}}"}}
            """);
        return libcni;
    }

    [RootFact]
    public void BridgeGetsAnAddressFromThePoolAndConnectivityThenReleasesIt()
    {
        string stateDir = StateDir;
        var libcni = BridgeOverFileIpam(Fixtures.InterfacesJson("*", Fixtures.Three), "azcnitestbr0");

        // The node namespace stands in for the host: the bridge and the host veth ends live there.
        using var node = TestNetns.Create("test-node", loopbackUp: true);
        using var container = TestNetns.Create("test-ctr", loopbackUp: true);

        var add = libcni.Run("add", "bridge-ctr-1", container.Path, inNetns: node.Name);
        Assert.True(add.ExitCode == 0, add.ToString());
        string cidr = add.Address;
        Assert.Contains(cidr, Fixtures.Three.Select(a => a + "/16"));
        string address = cidr.Split('/')[0];

        var shown = container.Exec("ip", "-4", "addr", "show", "dev", "eth0");
        Assert.True(shown.Succeeded, shown.Output);
        Assert.Contains("inet " + cidr, shown.Output, StringComparison.Ordinal);
        var bridgeShown = node.Exec("ip", "-4", "addr", "show", "dev", "azcnitestbr0");
        Assert.Contains("inet 10.240.0.1/16", bridgeShown.Output, StringComparison.Ordinal);

        var ping = container.Exec("ping", "-c", "1", "-W", "3", "10.240.0.1");
        Assert.True(ping.Succeeded, ping.Output);
        var pingBack = node.Exec("ping", "-c", "1", "-W", "3", address);
        Assert.True(pingBack.Succeeded, pingBack.Output);

        var owner = Assert.Single(new IpamStore(stateDir).Load().Pools[0].Addresses, r => r.InUse);
        Assert.Equal("bridge-ctr-1", owner.ContainerId);
        Assert.Equal(address, owner.Address);

        var del = libcni.Run("del", "bridge-ctr-1", container.Path, inNetns: node.Name);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Equal(0, new IpamStore(stateDir).Load().InUseCount());
        var afterDel = container.Exec("ip", "link", "show", "eth0");
        Assert.Contains("does not exist", afterDel.Output, StringComparison.Ordinal);
    }
}
