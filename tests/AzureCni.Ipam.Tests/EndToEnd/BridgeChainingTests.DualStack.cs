using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.EndToEnd;

/// <summary>The reference bridge plugin consumes a dual-stack result as any IPAM's: both addresses, both gateways.</summary>
public sealed partial class BridgeChainingTests
{
    [RootFact]
    public void BridgeGetsBothFamiliesFromADualStackListingAndReachesBothGateways()
    {
        var libcni = BridgeOverFileIpam(Fixtures.DualStackInterfacesJson("*", Fixtures.Three, Fixtures.V6(5, 3)), "azcnitestbr6");
        using var node = TestNetns.Create("test-node6", loopbackUp: true);
        using var container = TestNetns.Create("test-ctr6", loopbackUp: true);

        var add = libcni.Run("add", "bridge-ctr-6", container.Path, inNetns: node.Name);
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("10.240.0.5/16", add.Address);
        Assert.Contains("fd00:240::5/64", add.Stdout, StringComparison.Ordinal);

        Assert.Contains("inet6 fd00:240::5/64", container.Exec("ip", "-6", "addr", "show", "dev", "eth0").Output, StringComparison.Ordinal);
        Assert.Contains("inet6 fd00:240::1/64", node.Exec("ip", "-6", "addr", "show", "dev", "azcnitestbr6").Output, StringComparison.Ordinal);
        var ping4 = container.Exec("ping", "-c", "1", "-W", "3", "10.240.0.1");
        Assert.True(ping4.Succeeded, ping4.Output);
        var ping6 = container.Exec("ping", "-6", "-c", "1", "-W", "3", "fd00:240::1");
        Assert.True(ping6.Succeeded, ping6.Output);
        Assert.Equal(2, new IpamStore(StateDir).Load().InUseCount());

        var del = libcni.Run("del", "bridge-ctr-6", container.Path, inNetns: node.Name);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Equal(0, new IpamStore(StateDir).Load().InUseCount());
    }
}
