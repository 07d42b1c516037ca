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
    [InlineData("{\"version\":7}")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"version\":1,\"pools\":[null]}")]
    [InlineData("{\"version\":1,\"pools\":[{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"gw\"}]}")]
    [InlineData("{\"version\":1,\"pools\":[{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"10.0.0.1\",\"addresses\":[{\"address\":\"10.0.0.500\"}]}]}")]
    public void TornOrForeignFilesAreReportedNeverTakenForAFreshStart(string content)
    {
        using var dir = new TempDir();
        var store = new IpamStore(dir.Path);
        File.WriteAllText(store.StatePath, content);
        Assert.Throws<StateCorruptException>(store.Load);

        // The manager refuses to allocate, and says why.
        var warnings = new List<string>();
        var manager = new AddressManager(store, new AddressManagerOptions { Warn = warnings.Add });
        var config = new Config.IpamConfig { Environment = "local", Subnet = "10.0.0.0/24" };
        var error = Assert.Throws<CniException>(() => manager.Reserve(config, "net", "c", "eth0"));
        Assert.Contains(store.StatePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to start over", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(warnings);
        Assert.Equal(content, File.ReadAllText(store.StatePath));

        Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.Throws<CniException>(() => manager.CheckReady(config)).Code);
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
