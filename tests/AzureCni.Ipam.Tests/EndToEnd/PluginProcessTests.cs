using System.Collections.Concurrent;
using AzureCni.Cni.Files;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.EndToEnd;

/// <summary>The published NativeAOT binary, driven by the real libcni client and by direct runs.</summary>
[Collection(PluginBinaryCollection.Name)]
public sealed partial class PluginProcessTests(PluginBinaryFixture binary) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StateDir => _dir.File("state");

    private IpamStore Store => new(StateDir);

    private string FileIpam(params string[] secondaries)
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.InterfacesJson("*", secondaries));
        return $$"""{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"{{_dir.File("interfaces.json")}}"}""";
    }

    private static string AzureIpam(FakeWireserver server) =>
        $$"""{"type":"azure-vnet-ipam","queryUrl":"{{server.Url}}","queryInterval":"60"}""";

    [Fact]
    public void FilePoolThroughLibcni() => ThreeAddressScenario(FileIpam(Fixtures.Three));

    [Fact]
    public void AzureSourceThroughLibcni()
    {
        using var server = new FakeWireserver(Fixtures.NmAgentXml("*", Fixtures.Three));
        ThreeAddressScenario(AzureIpam(server));
        Assert.Equal(1, server.Requests);
    }

    private void ThreeAddressScenario(string ipam)
    {
        var libcni = new Libcni(binary, _dir.Path, StateDir);
        libcni.WriteConflist($$"""{"type":"azure-vnet-ipam","ipam":{{ipam}}}""");
        var direct = new PluginRun(binary, StateDir);

        var addresses = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var add = libcni.Run("add", "container-" + i);
            Assert.True(add.ExitCode == 0, add.ToString());
            Assert.Equal("10.240.0.1", add.Json.GetProperty("ips")[0].GetProperty("gateway").GetString());
            Assert.Equal("168.63.129.16", add.Json.GetProperty("dns").GetProperty("nameservers")[0].GetString());
            Assert.Equal("0.0.0.0/0", add.Json.GetProperty("routes")[0].GetProperty("dst").GetString());
            addresses.Add(add.Address);
        }

        Assert.Equal(3, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.Contains(a, Fixtures.Three.Select(s => s + "/16")));

        var fourth = libcni.Run("add", "container-3");
        Assert.NotEqual(0, fourth.ExitCode);
        Assert.Contains("no available addresses", fourth.Stderr, StringComparison.Ordinal);
        var fourthDirect = direct.Invoke("ADD", PluginRun.Config(ipam), "container-3");
        Assert.True(fourthDirect.ErrorCode >= 100, fourthDirect.ToString());
        Assert.Equal(101, fourthDirect.ErrorCode);

        var status = direct.Invoke("STATUS", PluginRun.Config(ipam));
        Assert.Equal(50, status.ErrorCode);

        var again = libcni.Run("add", "container-1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(addresses[1], again.Address);

        Assert.True(libcni.Run("check", "container-1").ExitCode == 0);
        var del = libcni.Run("del", "container-1");
        Assert.True(del.ExitCode == 0, del.ToString());
        var delAgain = libcni.Run("del", "container-1");
        Assert.True(delAgain.ExitCode == 0, delAgain.ToString());
        Assert.Equal(0, direct.Invoke("DEL", PluginRun.Config(ipam), "container-1").ExitCode);
        Assert.Equal(0, direct.Invoke("STATUS", PluginRun.Config(ipam)).ExitCode);
        Assert.Equal(2, Store.Load().InUseCount());

        var gc = direct.Invoke("GC", PluginRun.GcConfig(ipam));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(0, Store.Load().InUseCount());
    }

    [Fact]
    public void ResultInOlderVersionsAndCheckFailsForUnknownContainer()
    {
        string ipam = FileIpam(Fixtures.Three);
        var direct = new PluginRun(binary, StateDir);
        var old = direct.Invoke("ADD", PluginRun.Config(ipam, "0.3.1"), "c-old");
        Assert.True(old.ExitCode == 0, old.ToString());
        Assert.Equal("0.3.1", old.Json.GetProperty("cniVersion").GetString());
        Assert.Equal("4", old.Json.GetProperty("ips")[0].GetProperty("version").GetString());

        var check = direct.Invoke("CHECK", PluginRun.Config(ipam), "c-unknown");
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("c-unknown", check.Message, StringComparison.Ordinal);
        Assert.Equal(0, direct.Invoke("CHECK", PluginRun.Config(ipam), "c-old").ExitCode);
    }

    [Fact]
    public async Task FiftyParallelAddsThenDelsWithFewQueriesAndAValidStateThroughout()
    {
        var secondaries = Enumerable.Range(10, 60).Select(i => "10.240.0." + i).ToArray();
        using var server = new FakeWireserver(Fixtures.NmAgentXml("*", secondaries));
        string config = PluginRun.Config(AzureIpam(server));
        var direct = new PluginRun(binary, StateDir);

        using var watching = new CancellationTokenSource();
        var badReads = new ConcurrentBag<string>();
        int reads = 0;
        var watcher = Task.Run(() =>
        {
            while (!watching.IsCancellationRequested)
            {
                try
                {
                    Store.Load();
                    Interlocked.Increment(ref reads);
                }
                catch (Cni.Recovery.UnreadableStateException e)
                {
                    badReads.Add(e.Message);
                }
                catch (IOException)
                {
                    // The directory does not exist before the first ADD.
                }
            }
        });

        var adds = new PluginOutcome[50];
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 25 }, i => adds[i] = direct.Invoke("ADD", config, "burst-" + i));
        Assert.All(adds, a => Assert.True(a.ExitCode == 0, a.ToString()));
        Assert.Equal(50, adds.Select(a => a.Address).Distinct().Count());
        Assert.InRange(server.Requests, 1, 5);
        Assert.Equal(50, Store.Load().InUseCount());

        var dels = new PluginOutcome[50];
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 25 }, i => dels[i] = direct.Invoke("DEL", config, "burst-" + i));
        Assert.All(dels, d => Assert.True(d.ExitCode == 0, d.ToString()));
        Assert.Equal(0, Store.Load().InUseCount());

        watching.Cancel();
        await watcher;
        Assert.Empty(badReads);
        Assert.True(reads > 0);
    }

    [Fact]
    public void KillNineDuringAddDelCyclesNeverCorruptsOrDuplicates()
    {
        string ipam = FileIpam(Enumerable.Range(10, 40).Select(i => "10.240.0." + i).ToArray());
        string config = PluginRun.Config(ipam);
        var direct = new PluginRun(binary, StateDir);
        var random = new Random(4242);
        const int slots = 6;
        var generation = new int[slots];
        var live = new string?[slots];     // the address a slot's container holds after a completed ADD
        var unknown = new bool[slots];     // the last operation was killed: it may or may not hold one
        int kills = 0;

        string Cid(int slot) => $"kill-{slot}-{generation[slot]}";

        for (int cycle = 0; cycle < 200; cycle++)
        {
            int slot = random.Next(slots);
            string command = live[slot] is null ? "ADD" : "DEL";
            bool kill = random.Next(2) == 0;
            using var process = direct.Start(command, config, Cid(slot));
            if (kill)
            {
                Thread.Sleep(random.Next(0, 4));
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                }
            }

            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            bool killed = kill && process.ExitCode == 137;
            if (killed)
            {
                kills++;
                // Whatever it did is an orphan now: the container moves on to a new ID, as a runtime's would.
                live[slot] = null;
                unknown[slot] = true;
                generation[slot]++;
            }
            else
            {
                var outcome = new PluginOutcome(process.ExitCode, stdout, "");
                Assert.True(outcome.ExitCode == 0, $"cycle {cycle} {command}: {outcome}");
                live[slot] = command == "ADD" ? outcome.Address.Split('/')[0] : null;
            }

            // The state always parses, and no address is held by two live owners.
            var state = Store.Load();
            var owners = state.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).ToList();
            Assert.Equal(owners.Count, owners.Select(r => r.Address).Distinct().Count());
            var liveAddresses = live.Where(a => a is not null).ToList();
            Assert.Equal(liveAddresses.Count, liveAddresses.Distinct().Count());
            for (int s = 0; s < slots; s++)
            {
                if (live[s] is { } address)
                {
                    var record = Assert.Single(owners, r => r.Address == address);
                    Assert.Equal(Cid(s), record.ContainerId);
                }
            }

            if (cycle % 25 == 24)
                Collect(direct, ipam, live, Cid);
        }

        Collect(direct, ipam, live, Cid);
        Assert.True(kills > 20, $"only {kills} kills landed");
    }

    // GC with the live containers as the valid list leaves exactly their reservations.
    private void Collect(PluginRun direct, string ipam, string?[] live, Func<int, string> cid)
    {
        var valid = Enumerable.Range(0, live.Length).Where(s => live[s] is not null).Select(s => (cid(s), "eth0")).ToArray();
        var gc = direct.Invoke("GC", PluginRun.GcConfig(ipam, valid));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(valid.Length, Store.Load().InUseCount());
    }

    [Fact]
    public void CorruptStateIsMovedAsideRebuiltAndReportedByStatus()
    {
        string config = PluginRun.Config(FileIpam(Fixtures.Three));
        Directory.CreateDirectory(StateDir);
        File.WriteAllText(Store.StatePath, "{\"version\":1,\"pools\":[{\"subn");
        var direct = new PluginRun(binary, StateDir);

        var status = direct.Invoke("STATUS", config);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("unreadable", status.Stderr, StringComparison.Ordinal);
        string copy = Assert.Single(Directory.GetFiles(StateDir, IpamStore.StateFileName + ".corrupt-*"));
        Assert.Equal("{\"version\":1,\"pools\":[{\"subn", File.ReadAllText(copy));
        Assert.Contains(copy, File.ReadAllText(Path.Combine(StateDir, "azure-vnet-ipam.log")), StringComparison.Ordinal);

        var add = direct.Invoke("ADD", config, "c1");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Null(Store.Load().Recovered);
    }

    [Fact]
    public void LockHeldByAnotherProcessAnswers11()
    {
        string config = PluginRun.Config(FileIpam(Fixtures.Three));
        Directory.CreateDirectory(StateDir);
        using var held = StateLock.Acquire(Store.LockPath, TimeSpan.FromSeconds(1));
        var add = new PluginRun(binary, StateDir).Invoke("ADD", config, "c1");
        Assert.Equal(11, add.ErrorCode);
        Assert.Contains("lock", add.Message, StringComparison.Ordinal);
    }
}
