using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

public class StoreTests
{
    [Fact]
    public void MissingFileIsAFreshStateAndSavedStateRoundTrips()
    {
        using var dir = new TempDir();
        var store = new IpamStore(dir.Path);
        var state = store.Load();
        Assert.Empty(state.Pools);

        state.Sources.Add(new SourceStatus { Identity = "file /x", Listed = true, LastQuery = 1234, Error = "boom", Subnets = ["10.240.0.0/16"] });
        state.Pools.Add(new AddressPool { Subnet = "10.240.0.0/16", IfName = "eth0", Gateway = "10.240.0.1", Priority = 1, Addresses = [new() { Address = "10.240.0.5" }, new() { Address = "10.240.0.6" }] });
        AddressAllocator.Reserve(state, "net", "abc", "eth0");
        AddressAllocator.Release(state, "net", "abc", "eth0");
        AddressAllocator.Reserve(state, "net", "def", "net1");
        state.Pools[0].Addresses[0].Stale = true;
        store.Save(state);

        var loaded = store.Load();
        Assert.Equal(IpamJson.WriteState(state), IpamJson.WriteState(loaded));
        Assert.Equal("def", loaded.Pools[0].Addresses[1].ContainerId);
        Assert.Equal("net1", loaded.Pools[0].Addresses[1].IfName);
        Assert.Equal(1, loaded.Sequence);
        Assert.False(File.Exists(store.StatePath + ".tmp"));
    }

    [Fact]
    public void UnchangedStateIsNotRewritten()
    {
        using var dir = new TempDir();
        var store = new IpamStore(dir.Path);
        var state = store.Load(out byte[]? raw);
        Assert.Null(raw);
        state.Pools.Add(new AddressPool { Subnet = "10.0.0.0/24", Gateway = "10.0.0.1", Addresses = [new() { Address = "10.0.0.5" }] });
        Assert.True(store.SaveIfChanged(state, raw));

        state = store.Load(out raw);
        AddressAllocator.Reserve(state, "net", "a", "eth0");
        Assert.True(store.SaveIfChanged(state, raw));
        state = store.Load(out raw);
        AddressAllocator.Reserve(state, "net", "a", "eth0");
        Assert.False(store.SaveIfChanged(state, raw));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("\0\0\0\0")]
    [InlineData("{\"version\":1,\"pools\":[{\"subnet\":\"10.0.0.0/24\",")]
    [InlineData("{\"version\":1} trailing")]
    [InlineData("{\"version\":1,\"pools\":{}}")]
    [InlineData("{\"version\":1,\"sequence\":\"x\"}")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"version\":1,\"pools\":[null]}")]
    [InlineData("{\"version\":1,\"pools\":[{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"gw\"}]}")]
    [InlineData("{\"version\":1,\"pools\":[{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"10.0.0.1\",\"addresses\":[{\"address\":\"10.0.0.500\"}]}]}")]
    public void TornOrForeignFilesAreMovedAsideAndRebuiltNeverTakenForAFreshStart(string content)
    {
        using var dir = new TempDir();
        var store = Store(dir, cachedAddress: "10.0.0.5/24");
        File.WriteAllText(store.StatePath, content);
        Assert.Throws<Cni.Recovery.UnreadableStateException>(() => store.Load());

        var warnings = new List<string>();
        var manager = new AddressManager(store, new AddressManagerOptions { Warn = warnings.Add });
        var config = new Config.IpamConfig { Environment = "local", Subnet = "10.0.0.0/29" };
        var lease = manager.Reserve(config, "net", "c", "eth0");

        // The address the result cache shows in use is not handed out again; the damaged bytes are kept.
        Assert.NotEqual("10.0.0.5", lease.Address.ToString());
        string copy = Assert.Single(Directory.GetFiles(dir.Path, IpamStore.StateFileName + ".corrupt-*"));
        Assert.Equal(content, File.ReadAllText(copy));
        var state = store.Load();
        Assert.Equal("cached", state.Pools.SelectMany(p => p.Addresses).Single(r => r.Address == "10.0.0.5").ContainerId);
        Assert.Contains(copy, state.Recovered, StringComparison.Ordinal);

        // The next ordinary write of another process (a new store) ends the rebuild's note.
        new AddressManager(Store(dir, cachedAddress: null), new AddressManagerOptions { Warn = warnings.Add })
            .Reserve(config, "net", "d", "eth0");
        Assert.Null(store.Load().Recovered);
    }

    [Fact]
    public void ADirectoryInPlaceOfTheFileIsRenamedAsideAndRebuilt()
    {
        using var dir = new TempDir();
        var store = Store(dir, cachedAddress: "10.0.0.2/24");
        Directory.CreateDirectory(store.StatePath);
        File.WriteAllText(Path.Combine(store.StatePath, "inside"), "kept");
        var manager = new AddressManager(store, new AddressManagerOptions { Warn = _ => { } });
        var lease = manager.Reserve(new Config.IpamConfig { Environment = "local", Subnet = "10.0.0.0/29" }, "net", "c", "eth0");

        Assert.NotEqual("10.0.0.2", lease.Address.ToString());
        string copy = Assert.Single(Directory.GetDirectories(dir.Path, IpamStore.StateFileName + ".corrupt-*"));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(copy, "inside")));
        Assert.True(File.Exists(store.StatePath));
    }

    [Theory]
    [InlineData("{\"version\":7}")]
    [InlineData("{\"version\":2,\"pools\":{\"a new shape\":true}}")]
    public void ANewerReleasesFileIsNeverOverwrittenAndDelStillSucceeds(string content)
    {
        using var dir = new TempDir();
        var store = Store(dir, cachedAddress: null);
        File.WriteAllText(store.StatePath, content);
        var warnings = new List<string>();
        var manager = new AddressManager(store, new AddressManagerOptions { Warn = warnings.Add });
        var config = new Config.IpamConfig { Environment = "local", Subnet = "10.0.0.0/24" };

        var error = Assert.Throws<CniException>(() => manager.Reserve(config, "net", "c", "eth0"));
        Assert.Equal(CniErrorCode.IOFailure, error.Code);
        Assert.Contains("reads version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("has version " + (content.Contains("7", StringComparison.Ordinal) ? "7" : "2"), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, manager.Release(config, "net", "c", "eth0"));
        Assert.Contains(warnings, w => w.Contains("released nothing", StringComparison.Ordinal));
        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);
        Assert.Equal(content, File.ReadAllText(store.StatePath));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.corrupt-*"));
    }

    // A store whose rebuild reads a result cache in the test's directory holding one attachment of azure-vnet.
    private static IpamStore Store(TempDir dir, string? cachedAddress)
    {
        string cache = dir.File("cni-cache");
        if (cachedAddress is not null)
        {
            Directory.CreateDirectory(Path.Combine(cache, "results"));
            string config = Convert.ToBase64String("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"azure-vnet\",\"ipam\":{\"type\":\"azure-vnet-ipam\"}}]}"u8);
            File.WriteAllText(Path.Combine(cache, "results", "net-cached-eth0"),
                $$$"""{"kind":"cniCacheV1","containerId":"cached","config":"{{{config}}}","ifName":"eth0","networkName":"net","result":{"cniVersion":"1.0.0","ips":[{"address":"{{{cachedAddress}}}","gateway":"10.0.0.1"}]}}""");
        }

        return new IpamStore(dir.Path) { Environment = new Dictionary<string, string> { [PluginPaths.CniCacheDirVariable] = cache, [PluginPaths.LogDirVariable] = dir.Path } };
    }

    [Fact]
    public void LockIsExclusiveTimesOutWithCode11AndDiesWithItsDescriptor()
    {
        using var dir = new TempDir();
        string path = dir.File("x.lock");
        var held = StateLock.Acquire(path, TimeSpan.FromSeconds(1));
        Assert.Null(StateLock.TryAcquire(path));
        var error = Assert.Throws<CniException>(() => StateLock.Acquire(path, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);

        held.Dispose();
        using var again = StateLock.TryAcquire(path);
        Assert.NotNull(again);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void WithTheWindowsPrimitives_StateRoundTripsAndTheStoreLockExcludesTheLinuxOne()
    {
        using var dir = new TempDir();
        var windows = new IpamStore(dir.Path, new WindowsFilePrimitives());
        var state = windows.Load();
        state.Sources.Add(new SourceStatus { Identity = "file /x", Listed = true, Subnets = ["10.240.0.0/16"] });
        using (windows.Lock(TimeSpan.FromSeconds(1)))
        {
            windows.Save(state);

            // Both take the same kind of lock on the same file: .NET's FileShare.None is an flock on Linux.
            var error = Assert.Throws<CniException>(() => new IpamStore(dir.Path).Lock(TimeSpan.FromMilliseconds(50)));
            Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        }

        Assert.Equal("10.240.0.0/16", Assert.Single(Assert.Single(new IpamStore(dir.Path).Load().Sources).Subnets));
        Assert.Equal(["azure-vnet-ipam.json", "azure-vnet-ipam.lock"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FromEnvironmentHonoursTheStateDirVariable()
    {
        string? before = Environment.GetEnvironmentVariable(PluginPaths.StateDirVariable);
        try
        {
            Environment.SetEnvironmentVariable(PluginPaths.StateDirVariable, "/tmp/some-dir");
            Assert.Equal("/tmp/some-dir/azure-vnet-ipam.json", IpamStore.FromEnvironment().StatePath);
            Environment.SetEnvironmentVariable(PluginPaths.StateDirVariable, null);
            Assert.Equal("/var/run/azure-vnet-ipam.json", IpamStore.FromEnvironment().StatePath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PluginPaths.StateDirVariable, before);
        }
    }
}
