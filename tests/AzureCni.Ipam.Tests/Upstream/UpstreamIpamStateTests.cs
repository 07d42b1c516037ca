using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.State;
using AzureCni.Ipam.State.Upstream;
using AzureCni.Ipam.Tests.Support;
using AzureCni.Json;

namespace AzureCni.Ipam.Tests.Upstream;

/// <summary>Taking over upstream Azure CNI's azure-vnet-ipam.json, and writing it back for a rollback.</summary>
public sealed class UpstreamIpamStateTests : IDisposable
{
    // Upstream's shape field by field (ipam/manager.go, ipam/pool.go): two pools, the second on a secondary NIC,
    // three reservations by full container ID, one pre-v1.2.0 in-use record without an owner.
    public const string CidA = "1f2e3d4c5b6a79880716253443526170e1f2a3b4c5d6e7f8091a2b3c4d5e6f70";
    public const string CidB = "9a8b7c6d5e4f30211203f4e5d6c7b8a9a0b1c2d3e4f5061728394a5b6c7d8e9f";
    public const string CidC = "5c4d3e2f1a0b9c8d7e6f50413223140506a7b8c9dae0f1021324354657687980";

    public const string Golden = """
        {
        	"IPAM": {
        		"Version": "v1.6.21",
        		"TimeStamp": "2026-03-02T10:15:30.123456789Z",
        		"AddressSpaces": {
        			"local": {
        				"Id": "local",
        				"Scope": 0,
        				"Pools": {
        					"10.240.0.0/16": {
        						"Id": "10.240.0.0/16",
        						"IfName": "eth0",
        						"Subnet": {"IP": "10.240.0.0", "Mask": "//8AAA=="},
        						"Gateway": "10.240.0.1",
        						"Addresses": {
        							"10.240.0.5": {"ID": "1f2e3d4c5b6a79880716253443526170e1f2a3b4c5d6e7f8091a2b3c4d5e6f70", "Addr": "10.240.0.5", "InUse": true},
        							"10.240.0.6": {"ID": "9a8b7c6d5e4f30211203f4e5d6c7b8a9a0b1c2d3e4f5061728394a5b6c7d8e9f", "Addr": "10.240.0.6", "InUse": true},
        							"10.240.0.7": {"ID": "", "Addr": "10.240.0.7", "InUse": false},
        							"10.240.0.9": {"ID": "", "Addr": "10.240.0.9", "InUse": true}
        						},
        						"IsIPv6": false,
        						"Priority": 0,
        						"RefCount": 1
        					},
        					"10.241.0.0/24": {
        						"Id": "10.241.0.0/24",
        						"IfName": "eth1",
        						"Subnet": {"IP": "10.241.0.0", "Mask": "////AA=="},
        						"Gateway": "10.241.0.1",
        						"Addresses": {
        							"10.241.0.5": {"ID": "5c4d3e2f1a0b9c8d7e6f50413223140506a7b8c9dae0f1021324354657687980", "Addr": "10.241.0.5", "InUse": true},
        							"10.241.0.6": {"ID": "", "Addr": "10.241.0.6", "InUse": false}
        						},
        						"IsIPv6": false,
        						"Priority": 1,
        						"RefCount": 1
        					}
        				}
        			}
        		}
        	}
        }
        """;

    private static readonly LocalNic[] Nics = [new("eth0", "000d3a6e1825")];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>(pool, address, owner) of every in-use record in an upstream file.</summary>
    public static SortedSet<string> Reservations(UpstreamIpamFile file)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var space in file.Ipam!.AddressSpaces!.Values)
        {
            foreach (var (subnet, pool) in space.Pools!)
            {
                foreach (var record in pool.Addresses!.Values)
                {
                    if (record.InUse)
                        set.Add(subnet + " " + record.Addr + " " + record.ID);
                }
            }
        }

        return set;
    }

    private static SortedSet<string> Reservations(IpamState state)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pool in state.Pools)
        {
            foreach (var record in pool.Addresses)
            {
                if (record.InUse)
                    set.Add(pool.Subnet + " " + record.Address + " " + record.ContainerId);
            }
        }

        return set;
    }

    private AddressManager Manager() => new(new IpamStore(_dir.Path), new AddressManagerOptions
    {
        SourceFactory = c => AddressSources.Create(c, () => Nics),
        Warn = _ => { },
    });

    private IpamConfig FileConfig(params string[] secondaries)
    {
        File.WriteAllText(_dir.File("interfaces.json"), Fixtures.InterfacesJson(Fixtures.Mac, secondaries));
        return new IpamConfig { Environment = "fileIpam", InterfacesFile = _dir.File("interfaces.json") };
    }

    private string StatePath => _dir.File("azure-vnet-ipam.json");

    [Fact]
    public void LoadConvertsInPlaceKeepingEveryReservationAndAByteExactCopy()
    {
        File.WriteAllText(StatePath, Golden);
        byte[] original = File.ReadAllBytes(StatePath);

        var state = new IpamStore(_dir.Path).Load();

        Assert.Equal(Reservations(CniJson.Parse<UpstreamIpamFile>(original)), Reservations(state));
        Assert.Equal(4, state.InUseCount());
        Assert.Equal(["10.240.0.5", "10.240.0.6", "10.240.0.7", "10.240.0.9"], state.Pools[0].Addresses.Select(a => a.Address));
        Assert.Equal(1, state.Pools.Single(p => p.Subnet == "10.241.0.0/24").Priority);
        Assert.Equal("eth1", state.Pools.Single(p => p.Subnet == "10.241.0.0/24").IfName);

        // The file is ours now, converted once; the copy beside it holds upstream's bytes exactly.
        var reread = IpamJson.ReadState(File.ReadAllBytes(StatePath));
        Assert.Equal(IpamState.CurrentVersion, reread.Version);
        Assert.Equal(Reservations(state), Reservations(reread));
        string copy = Assert.Single(Directory.GetFiles(_dir.Path, "azure-vnet-ipam.json.upstream-*"));
        Assert.Matches(@"\.upstream-\d{8}T\d{6}Z$", copy);
        Assert.Equal(original, File.ReadAllBytes(copy));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "azure-vnet", "azure-vnet-ipam.lock")), "upstream's lock was taken");

        new IpamStore(_dir.Path).Load();
        Assert.Single(Directory.GetFiles(_dir.Path, "azure-vnet-ipam.json.upstream-*"));
    }

    [Fact]
    public void NewAddsNeverGetAnUpstreamReservationAndDelReleasesAnUpstreamPod()
    {
        File.WriteAllText(StatePath, Golden);
        var config = FileConfig("10.240.0.5", "10.240.0.6", "10.240.0.7", "10.240.0.8", "10.240.0.9");
        var manager = Manager();

        var first = manager.Reserve(config, "azure", "new-1", "eth0");
        var second = manager.Reserve(config, "azure", "new-2", "eth0");
        Assert.Equal(["10.240.0.7", "10.240.0.8"], new[] { first.Address.ToString(), second.Address.ToString() }.Order());
        Assert.Equal(AzureCni.Cni.CniErrorCode.NoAddressAvailable,
            Assert.Throws<AzureCni.Cni.CniException>(() => manager.Reserve(config, "azure", "new-3", "eth0")).Code);

        // Upstream's DEL is by container ID alone; ours names the network and interface: both release it.
        Assert.Equal(1, manager.Release(config, "azure", CidA, "eth0"));
        Assert.Equal(1, manager.Release(new IpamConfig(), "azure", CidC, "eth0"));
        Assert.Equal(0, manager.Release(config, "azure", CidA, "eth0"));
        Assert.Equal("10.240.0.5", manager.Reserve(config, "azure", "new-3", "eth0").Address.ToString());

        var left = Reservations(new IpamStore(_dir.Path).Load());
        Assert.Contains("10.240.0.0/16 10.240.0.6 " + CidB, left);
        Assert.Contains("10.240.0.0/16 10.240.0.9 ", left);
        Assert.DoesNotContain(left, r => r.EndsWith(CidA, StringComparison.Ordinal) || r.EndsWith(CidC, StringComparison.Ordinal));
    }

    [Fact]
    public void OurOwnFileIsNotTakenForUpstreams()
    {
        var manager = Manager();
        manager.Reserve(FileConfig("10.240.0.5"), "azure", "c", "eth0");
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.upstream-*"));
        Assert.False(AzureCni.Cni.Files.Upstream.UpstreamStateFile.IsUpstream(File.ReadAllBytes(StatePath), "IPAM"u8));
        Assert.True(AzureCni.Cni.Files.Upstream.UpstreamStateFile.IsUpstream("{\"IPAM\":{}}"u8, "IPAM"u8));
    }

    [Fact]
    public void RoundTripUpstreamOursUpstreamKeepsWhatUpstreamReads()
    {
        var upstream = CniJson.Parse<UpstreamIpamFile>(System.Text.Encoding.UTF8.GetBytes(Golden));
        var back = UpstreamIpamConversion.ToUpstream(UpstreamIpamConversion.ToOurs(upstream), "azurecni-test", DateTime.UtcNow);
        var reparsed = CniJson.Parse<UpstreamIpamFile>(CniJson.ToUtf8Bytes(back));

        Assert.Equal(Reservations(upstream), Reservations(reparsed));
        var before = upstream.Ipam!.AddressSpaces!["local"].Pools!;
        var after = reparsed.Ipam!.AddressSpaces!["local"].Pools!;
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (key, pool) in before)
        {
            var other = after[key];
            Assert.Equal(
                (pool.Id, pool.IfName, pool.Subnet.IP, pool.Subnet.Mask, pool.Gateway, pool.IsIPv6, pool.Priority, pool.RefCount),
                (other.Id, other.IfName, other.Subnet.IP, other.Subnet.Mask, other.Gateway, other.IsIPv6, other.Priority, other.RefCount));
            Assert.Equal(
                pool.Addresses!.OrderBy(a => a.Key).Select(a => (a.Key, a.Value.ID, a.Value.Addr, a.Value.InUse)),
                other.Addresses!.OrderBy(a => a.Key).Select(a => (a.Key, a.Value.ID, a.Value.Addr, a.Value.InUse)));
        }
    }
}
