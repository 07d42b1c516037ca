using System.Collections.Concurrent;
using AzureCni.Cni;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

public sealed partial class AddressManagerTests : IDisposable
{
    private static readonly LocalNic[] Nics = [new("eth0", "000d3a6e1825")];
    private readonly TempDir _dir = new();
    private long _now = 1_000_000;

    public void Dispose() => _dir.Dispose();

    private AddressManager Manager() => new(new IpamStore(_dir.Path), new AddressManagerOptions
    {
        Clock = () => Interlocked.Read(ref _now),
        SourceFactory = c => AddressSources.Create(c, () => Nics),
        Warn = _ => { },
    });

    private IpamConfig FileConfig(params string[] secondaries)
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.InterfacesJson(Fixtures.Mac, secondaries));
        return new IpamConfig { Environment = "fileIpam", InterfacesFile = _dir.File("interfaces.json") };
    }

    [Fact]
    public void FilePoolServesThreeThenRefusesAndStatusSays50()
    {
        var config = FileConfig(Fixtures.Three);
        var manager = Manager();
        manager.CheckReady(config);

        var leases = Enumerable.Range(0, 3).Select(i => manager.Reserve(config, "net", "c" + i, "eth0")).ToList();
        Assert.Equal(3, leases.Select(l => l.Address).Distinct().Count());
        Assert.All(leases, l => Assert.Contains(l.Address.ToString(), Fixtures.Three));
        Assert.All(leases, l => Assert.Equal(16, l.PrefixLength));
        Assert.All(leases, l => Assert.Equal("10.240.0.1", l.Gateway.ToString()));
        Assert.All(leases, l => Assert.Equal(["168.63.129.16"], l.Nameservers));

        var full = Assert.Throws<CniException>(() => manager.Reserve(config, "net", "c3", "eth0"));
        Assert.Equal(CniErrorCode.NoAddressAvailable, full.Code);
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);

        Assert.Equal(leases[1].Address, manager.Reserve(config, "net", "c1", "eth0").Address);
        Assert.Equal(1, manager.Release(config, "net", "c1", "eth0"));
        Assert.Equal(0, manager.Release(config, "net", "c1", "eth0"));
        manager.CheckReady(config);

        Assert.Equal(2, manager.Collect("net", []));
        Assert.Equal(0, new IpamStore(_dir.Path).Load().InUseCount());
    }

    [Fact]
    public void StatusNeverWaitsForTheLockAnAddHolds()
    {
        var config = FileConfig(Fixtures.Three);
        var manager = new AddressManager(new IpamStore(_dir.Path), new AddressManagerOptions
        {
            LockTimeout = TimeSpan.FromMilliseconds(200),
            SourceFactory = c => AddressSources.Create(c, () => Nics),
            Warn = _ => { },
        });
        manager.Reserve(config, "net", "a", "eth0");

        using (new IpamStore(_dir.Path).Lock(TimeSpan.FromSeconds(5)))
        {
            // The same wait makes an ADD give up with code 11: STATUS answers from the file without it.
            Assert.Equal(CniErrorCode.TryAgainLater, Assert.Throws<CniException>(() => manager.Reserve(config, "net", "b", "eth0")).Code);
            manager.CheckReady(config);
        }

        manager.Reserve(config, "net", "b", "eth0");
        manager.Reserve(config, "net", "c", "eth0");
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);
    }

    [Fact]
    public void FileEditsAreSeenAndUnreadableFileIsAnError()
    {
        var config = FileConfig("10.240.0.5");
        var manager = Manager();
        manager.Reserve(config, "net", "a", "eth0");
        Assert.Throws<CniException>(() => manager.Reserve(config, "net", "b", "eth0"));

        FileConfig("10.240.0.5", "10.240.0.9");
        Assert.Equal("10.240.0.9", manager.Reserve(config, "net", "b", "eth0").Address.ToString());

        File.Delete(config.InterfacesFile!);
        var error = Assert.Throws<CniException>(() => manager.Reserve(config, "net", "c", "eth0"));
        Assert.Contains("interfaces.json", error.Message, StringComparison.Ordinal);
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);

        // DEL does not need the source.
        Assert.Equal(1, manager.Release(config, "net", "a", "eth0"));
    }

    [Fact]
    public void ListingForAnotherNodeFailsTheAddWithBothSidesNamed()
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.InterfacesJson("AABBCCDDEEFF", Fixtures.Three));
        var config = new IpamConfig { Environment = "fileIpam", InterfacesFile = _dir.File("interfaces.json") };
        var manager = Manager();

        var error = Assert.Throws<CniException>(() => manager.Reserve(config, "net", "a", "eth0"));
        Assert.Equal(CniErrorCode.Runtime, error.Code);
        Assert.Contains("AABBCCDDEEFF", error.Message, StringComparison.Ordinal);
        Assert.Contains("eth0 000d3a6e1825", error.Message, StringComparison.Ordinal);
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);
    }

    [Fact]
    public void AzureSourceIsQueriedOncePerIntervalAndStatusReportsItsFailure()
    {
        using var server = new FakeWireserver(Fixtures.NmAgentXml(Fixtures.Mac, Fixtures.Three));
        var config = new IpamConfig { QueryUrl = server.Url };
        var manager = Manager();

        var lease = manager.Reserve(config, "net", "a", "eth0");
        Assert.Contains(lease.Address.ToString(), Fixtures.Three);
        manager.Reserve(config, "net", "b", "eth0");
        manager.CheckReady(config);
        Assert.Equal(1, server.Requests);

        // After the interval the next call queries again, and sees the new listing.
        server.Body = Fixtures.NmAgentXml(Fixtures.Mac, "10.240.0.5", "10.240.0.6", "10.240.0.7", "10.240.0.8");
        Interlocked.Add(ref _now, 10_000);
        manager.Reserve(config, "net", "c", "eth0");
        Assert.Equal(2, server.Requests);
        Assert.Equal("10.240.0.8", manager.Reserve(config, "net", "d", "eth0").Address.ToString());

        // A failing query keeps the stored pools for ADD but STATUS reports it.
        server.FailStatus = "500 Internal Server Error";
        Interlocked.Add(ref _now, 10_000);
        manager.Release(config, "net", "d", "eth0");
        Assert.Equal("10.240.0.8", manager.Reserve(config, "net", "e", "eth0").Address.ToString());
        var status = Assert.Throws<CniException>(() => manager.CheckReady(config));
        Assert.Equal(CniErrorCode.PluginNotAvailable, status.Code);
        Assert.Contains("500", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureSourceUnreachableWithNothingStoredFailsClearly()
    {
        var config = new IpamConfig { QueryUrl = "http://127.0.0.1:1/machine/plugins" };
        var manager = Manager();
        var error = Assert.Throws<CniException>(() => manager.Reserve(config, "net", "a", "eth0"));
        Assert.Equal(CniErrorCode.Runtime, error.Code);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);
    }

    [Fact]
    public void ParallelReservationsFromManyThreadsAreDistinct()
    {
        var secondaries = Enumerable.Range(10, 60).Select(i => "10.240.0." + i).ToArray();
        using var server = new FakeWireserver(Fixtures.NmAgentXml(Fixtures.Mac, secondaries));
        var config = new IpamConfig { QueryUrl = server.Url };
        var got = new ConcurrentBag<string>();
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            got.Add(Manager().Reserve(config, "net", "container-" + i, "eth0").Address.ToString()));

        Assert.Equal(50, got.Distinct().Count());
        Assert.InRange(server.Requests, 1, 3);
        Assert.Equal(50, new IpamStore(_dir.Path).Load().InUseCount());

        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => Manager().Release(config, "net", "container-" + i, "eth0"));
        Assert.Equal(0, new IpamStore(_dir.Path).Load().InUseCount());
    }

    [Fact]
    public void LocalEnvironmentHandsOutTheSubnetWithoutDns()
    {
        var config = new IpamConfig { Environment = "local", Subnet = "10.77.0.0/30" };
        var manager = Manager();
        var lease = manager.Reserve(config, "net", "a", "eth0");
        Assert.Equal("10.77.0.2", lease.Address.ToString());
        Assert.Equal("10.77.0.1", lease.Gateway.ToString());
        Assert.Empty(lease.Nameservers);
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => manager.Reserve(config, "net", "b", "eth0")).Code);
    }

    [Fact]
    public void TwoNetworksWithDifferentSourcesShareTheStateWithoutMixing()
    {
        var file = FileConfig("10.240.0.5");
        var local = new IpamConfig { Environment = "local", Subnet = "10.77.0.0/30" };
        var manager = Manager();

        Assert.Equal("10.240.0.5", manager.Reserve(file, "azure", "c", "eth0").Address.ToString());
        Assert.Equal("10.77.0.2", manager.Reserve(local, "bridge", "c", "net1").Address.ToString());

        // Each is full on its own; neither borrows from the other's pool.
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => manager.Reserve(file, "azure", "d", "eth0")).Code);
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => manager.Reserve(local, "bridge", "d", "eth0")).Code);
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(file)).Code);

        // GC of one network leaves the other's reservation alone.
        Assert.Equal(1, manager.Collect("bridge", []));
        Assert.NotNull(manager.Find("azure", "c", "eth0"));
        manager.CheckReady(local);
        Assert.Equal(2, new IpamStore(_dir.Path).Load().Sources.Count);
    }

    [Fact]
    public void ASubnetTakenOverByAnotherSourceIsReplacedNotMerged()
    {
        using var server = new FakeWireserver(Fixtures.NmAgentXml(Fixtures.Mac, Fixtures.Three));
        var azure = new IpamConfig { QueryUrl = server.Url };
        var local = new IpamConfig { Environment = "local", Subnet = "10.240.0.0/16" };
        var manager = Manager();

        var first = manager.Reserve(azure, "net", "a", "eth0");
        var fromLocal = manager.Reserve(local, "net", "b", "eth0");
        Assert.DoesNotContain(fromLocal.Address.ToString(), Fixtures.Three);

        // Within queryInterval: the azure source queries again rather than hand out what only "local" listed.
        for (int i = 0; i < 2; i++)
            Assert.Contains(manager.Reserve(azure, "net", "c" + i, "eth0").Address.ToString(), Fixtures.Three);
        Assert.Equal(2, server.Requests);
        Assert.Equal(CniErrorCode.NoAddressAvailable, Assert.Throws<CniException>(() => manager.Reserve(azure, "net", "d", "eth0")).Code);

        // The local reservation stays owned (stale) until released; nothing has two owners.
        var pool = Assert.Single(new IpamStore(_dir.Path).Load().Pools);
        Assert.Equal(4, pool.Addresses.Count(r => r.InUse));
        Assert.Equal(4, pool.Addresses.Select(r => r.Address).Distinct().Count());
        Assert.Equal(1, manager.Release(local, "net", "b", "eth0"));
        Assert.Equal(3, new IpamStore(_dir.Path).Load().Pools.Single().Addresses.Count);
        Assert.NotEqual(first.Address, fromLocal.Address);
    }

    [Fact]
    public async Task AFifoAsInterfacesFileFailsTheCallWithoutHoldingTheLock()
    {
        string fifo = _dir.File("interfaces.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            await mkfifo.WaitForExitAsync();

        var config = new IpamConfig { Environment = "fileIpam", InterfacesFile = fifo };
        var manager = Manager();
        var error = await Task.Run(() => Record.Exception(() => manager.Reserve(config, "net", "a", "eth0"))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("not a regular file", Assert.IsType<CniException>(error).Message, StringComparison.Ordinal);

        // Nothing kept the state lock: another call gets it at once.
        using (new IpamStore(_dir.Path).Lock(TimeSpan.FromSeconds(1))) { }
    }
}
