using AzureCni.Cni.Files;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Ipam.State;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Tests.Upstream;

/// <summary>
/// While a state file is still in upstream's format, an upstream call may be running mid-switch: our plugins take
/// upstream's own flock (<c>&lt;state dir&gt;/azure-vnet/&lt;plugin&gt;.lock</c>) around the conversion, so they wait for
/// that call and convert what it wrote last; once no upstream-format file is left, upstream's lock costs nothing.
/// </summary>
public sealed class UpstreamLockTests : IDisposable
{
    private const string OtherCid = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private readonly string _dir = Directory.CreateTempSubdirectory("azcni-uplock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Upstream's call: holds its flock across its read-modify-write (processlock: flock(LOCK_EX), then the store).
    private StateLock HoldUpstreamLock(string plugin) =>
        StateLock.Acquire(UpstreamStateFile.LockPath(_dir, plugin), TimeSpan.FromSeconds(5), FilePrimitives.Current);

    private static async Task AssertWaits(Task task) =>
        Assert.False(await Finishes(task, TimeSpan.FromMilliseconds(500)), "the conversion went ahead while upstream's call held its lock");

    private static async Task<bool> Finishes(Task task, TimeSpan within) => await Task.WhenAny(task, Task.Delay(within)) == task;

    [Fact]
    public async Task AzureVnetWaitsForUpstreamsCall_ThenConvertsWhatItWroteLast()
    {
        string path = Path.Combine(_dir, EndpointStore.StateFileName);
        File.WriteAllText(path, UpstreamVnetStateTests.GoldenTransparent);
        Task<VnetState> ours;
        string upstreamsLastWrite;
        using (HoldUpstreamLock(EndpointStore.PluginName))
        {
            ours = Task.Run(() => new EndpointStore(_dir).Read());
            await AssertWaits(ours);
            Assert.Equal(UpstreamVnetStateTests.GoldenTransparent, File.ReadAllText(path));

            // Upstream's call finishes: a second pod's endpoint, written by temp file and rename as upstream does.
            upstreamsLastWrite = UpstreamVnetStateTests.GoldenTransparent
                .Replace("\"Endpoints\":{", "\"Endpoints\":{\"0a1b2c3d-eth0\":{\"Id\":\"0a1b2c3d-eth0\",\"IfName\":\"eth0\",\"HostIfName\":\"azv0000000000a\",\"IPAddresses\":[{\"IP\":\"10.240.0.9\",\"Mask\":\"//8AAA==\"}],\"ContainerID\":\"" + OtherCid + "\"},", StringComparison.Ordinal);
            File.WriteAllText(path + ".tmp", upstreamsLastWrite);
            File.Move(path + ".tmp", path, overwrite: true);
        }

        Assert.True(await Finishes(ours, TimeSpan.FromSeconds(10)));
        var converted = await ours;
        Assert.Equal(2, converted.Endpoints.Count);
        Assert.NotNull(converted.FindEndpoint("azure", OtherCid, "eth0"));
        Assert.Equal(upstreamsLastWrite, File.ReadAllText(Assert.Single(Directory.GetFiles(_dir, EndpointStore.StateFileName + ".upstream-*"))));

        // Converted: no upstream-format file is left, and our writes no longer wait for upstream's lock.
        using (HoldUpstreamLock(EndpointStore.PluginName))
        {
            var write = Task.Run(() => new EndpointStore(_dir).Update(s => s.RemoveEndpoint("azure", OtherCid, "eth0")));
            Assert.True(await Finishes(write, TimeSpan.FromSeconds(10)), "a write of our own format waited for upstream's lock");
        }
    }

    [Fact]
    public async Task AzureVnetIpamWaitsForUpstreamsCall_ThenConvertsWhatItWroteLast()
    {
        var store = new IpamStore(_dir);
        File.WriteAllText(store.StatePath, UpstreamVnetStateTests.GoldenIpam);
        Task<AzureCni.Ipam.Model.IpamState> ours;
        using (HoldUpstreamLock(IpamStore.PluginName))
        {
            ours = Task.Run(() =>
            {
                using (store.Lock(StateLock.DefaultTimeout))
                    return store.Load();
            });
            await AssertWaits(ours);
            Assert.Equal(UpstreamVnetStateTests.GoldenIpam, File.ReadAllText(store.StatePath));

            // Upstream's call finishes: it reserved 10.240.0.7 for another container.
            string upstreamsLastWrite = UpstreamVnetStateTests.GoldenIpam.Replace(
                "\"10.240.0.7\":{\"ID\":\"\",\"Addr\":\"10.240.0.7\",\"InUse\":false}",
                "\"10.240.0.7\":{\"ID\":\"" + OtherCid + "\",\"Addr\":\"10.240.0.7\",\"InUse\":true}", StringComparison.Ordinal);
            Assert.NotEqual(UpstreamVnetStateTests.GoldenIpam, upstreamsLastWrite);
            File.WriteAllText(store.StatePath + ".tmp", upstreamsLastWrite);
            File.Move(store.StatePath + ".tmp", store.StatePath, overwrite: true);
        }

        Assert.True(await Finishes(ours, TimeSpan.FromSeconds(10)));
        var reserved = (await ours).Pools.SelectMany(p => p.Addresses).Where(a => a.InUse).ToDictionary(a => a.Address, a => a.ContainerId);
        Assert.Equal(OtherCid, reserved["10.240.0.7"]);
        Assert.Equal(2, reserved.Count);
        Assert.Contains(OtherCid, File.ReadAllText(Assert.Single(Directory.GetFiles(_dir, IpamStore.StateFileName + ".upstream-*"))), StringComparison.Ordinal);
        Assert.DoesNotContain("\"IPAM\"", File.ReadAllText(store.StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public void UpstreamsLockFileLeftBehindIsHarmless()
    {
        // Upstream never deletes its lock files; one left (unheld) changes nothing for our calls.
        Directory.CreateDirectory(Path.Combine(_dir, "azure-vnet"));
        File.WriteAllText(UpstreamStateFile.LockPath(_dir, EndpointStore.PluginName), "4242");
        File.WriteAllText(Path.Combine(_dir, EndpointStore.StateFileName), UpstreamVnetStateTests.GoldenTransparent);
        Assert.Single(new EndpointStore(_dir).Read().Endpoints);
        Assert.True(File.Exists(UpstreamStateFile.LockPath(_dir, EndpointStore.PluginName)), "upstream's lock file is upstream's: never deleted");
    }
}
