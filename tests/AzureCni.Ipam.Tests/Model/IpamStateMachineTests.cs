using System.Globalization;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Allocation;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.State;
using AzureCni.Ipam.Tests.Support;
using CsCheck;

namespace AzureCni.Ipam.Tests.Model;

/// <summary>
/// The IPAM state machine against a small model: random interleavings of ADD, DEL, CHECK, GC and STATUS across
/// containers, with the process killed at a state write and the source's listing changed between calls. After
/// every step: the state file parses, no address has two owners, no one owns an address the model does not allow,
/// a new lease is an address the source lists now, DEL and GC always succeed, and GC leaves only valid owners.
/// The cases are drawn from a fixed seed; AZURE_CNI_MODEL_CASES sets how many (the default keeps make test short).
/// The dual-stack run lists an IPv6 subnet too (while any IPv6 secondary is listed): a new lease is then one address
/// of each family or, when a family has none free, nothing at all.
/// </summary>
public sealed class IpamStateMachineTests
{
    private const int Pods = 8;
    private const string Network = "net";
    private static readonly string[] Secondaries = ["10.240.0.5", "10.240.0.6", "10.240.0.7", "10.240.0.8", "10.240.0.9", "10.240.0.10"];
    private static readonly string[] V6Secondaries = Fixtures.V6(5, 6);
    private static readonly LocalNic[] Nics = [new("eth0", Fixtures.Mac.ToLowerInvariant())];

    private static Gen<Step> StepGen(int listable) => Gen.Frequency(
        (6, Gen.Int[0, Pods - 1].Select(pod => new Step(StepKind.Add, pod))),
        (4, Gen.Int[0, Pods - 1].Select(pod => new Step(StepKind.Del, pod))),
        (2, Gen.Int[0, Pods - 1].Select(pod => new Step(StepKind.Check, pod))),
        (1, Gen.Int[0, (1 << Pods) - 1].Select(valid => new Step(StepKind.Gc, valid))),
        (1, Gen.Const(new Step(StepKind.Status, 0))),
        (2, Gen.Const(new Step(StepKind.KillAtNextWrite, 0))),
        (1, Gen.Int[0, (1 << listable) - 1].Select(listed => new Step(StepKind.Relist, listed))));

    private static long Cases => TestSettings.Count("AZURE_CNI_MODEL_CASES", 300);

    [Fact]
    public void EveryInterleavingKeepsOneOwnerPerAddressAndLeaksNothing() =>
        StepGen(Secondaries.Length).Array[1, 40].Sample(steps => Run(steps, dualStack: false), seed: "0N0XIzNsQ0O2", iter: Cases, threads: 1, print: Print);

    [Fact]
    public void DualStackInterleavingsLeaseBothFamiliesOrNothing() =>
        StepGen(Secondaries.Length + V6Secondaries.Length).Array[1, 40].Sample(steps => Run(steps, dualStack: true), seed: "0N0XIzNsQ0O2", iter: Cases, threads: 1, print: Print);

    private static string Print(Step[] steps) => string.Join(", ", steps.Select(s => s.ToString()));

    private static void Run(Step[] steps, bool dualStack)
    {
        using var dir = new TempDir();
        using var node = new Node(dir, dualStack);
        foreach (Step step in steps)
        {
            node.Apply(step);
            node.CheckInvariants(step);
        }

        // A GC with every pod gone leaves nothing reserved, whatever happened before.
        node.Disarm();
        node.Apply(new Step(StepKind.Gc, 0));
        Assert.Equal(0, node.Store.Load().InUseCount());
    }

    private enum StepKind
    {
        Add,
        Del,
        Check,
        Gc,
        Status,
        KillAtNextWrite,
        Relist,
    }

    private readonly record struct Step(StepKind Kind, int Argument)
    {
        public override string ToString() => $"{Kind}({Argument.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>The process dying at a state write: nothing of that write lands (the file is replaced whole or not at all).</summary>
    private sealed class SimulatedKill : Exception
    {
        public SimulatedKill()
            : base("killed at a state write")
        {
        }
    }

    // The real files, except that an armed write dies before anything reaches the disk.
    private sealed class KillableFiles : IFilePrimitives
    {
        private readonly IFilePrimitives _inner = FilePrimitives.Current;

        public bool Armed { get; set; }

        public IDisposable? TryLock(string lockPath) => _inner.TryLock(lockPath);

        public ILockedFile? TryLockFile(string lockPath) => _inner.TryLockFile(lockPath);

        public byte[]? ReadOrNull(string path) => _inner.ReadOrNull(path);

        public void Replace(string path, ReadOnlySpan<byte> bytes)
        {
            DieIfArmed();
            _inner.Replace(path, bytes);
        }

        public void ReplaceUnsynced(string path, ReadOnlySpan<byte> bytes)
        {
            DieIfArmed();
            _inner.ReplaceUnsynced(path, bytes);
        }

        public byte[]? ReadState(string path) => _inner.ReadState(path);

        public void WriteState(string path, byte[]? previous, ReadOnlySpan<byte> bytes, StateDurability durability)
        {
            DieIfArmed();
            _inner.WriteState(path, previous, bytes, durability);
        }

        private void DieIfArmed()
        {
            if (Armed)
            {
                Armed = false;
                throw new SimulatedKill();
            }
        }

        public IAppendLog OpenLog(string path, long sizeLimit, int retainedFiles) => _inner.OpenLog(path, sizeLimit, retainedFiles);
    }

    private sealed class Node : IDisposable
    {
        private readonly TempDir _dir;
        private readonly KillableFiles _files = new();
        private readonly AddressManager _manager;
        private readonly IpamConfig _config;

        // What each pod holds as far as the runtime can know: the addresses it was given, or, after a call that died,
        // maybe some (null in the map: the state decides). A pod not in the map holds nothing.
        private readonly Dictionary<int, HashSet<string>?> _holds = [];
        private readonly bool _dualStack;
        private HashSet<string> _listed;

        public Node(TempDir dir, bool dualStack)
        {
            _dir = dir;
            _dualStack = dualStack;
            _listed = [.. Secondaries, .. dualStack ? V6Secondaries : []];
            Store = new IpamStore(dir.Path, _files);
            _manager = new AddressManager(Store, new AddressManagerOptions
            {
                SourceFactory = c => AddressSources.Create(c, () => Nics),
                Warn = _ => { },
            });
            WriteListing();
            _config = new IpamConfig { Environment = "fileIpam", InterfacesFile = dir.File("interfaces.json") };
        }

        public IpamStore Store { get; }

        public void Disarm() => _files.Armed = false;

        public void Dispose()
        {
        }

        public void Apply(Step step)
        {
            switch (step.Kind)
            {
                case StepKind.Add:
                    Add(step.Argument);
                    break;
                case StepKind.Del:
                    Survive(() => _manager.Release(_config, Network, Container(step.Argument), "eth0"), step.Argument, released: true);
                    break;
                case StepKind.Check:
                    Check(step.Argument);
                    break;
                case StepKind.Gc:
                    Gc(step.Argument);
                    break;
                case StepKind.Status:
                    Status();
                    break;
                case StepKind.KillAtNextWrite:
                    _files.Armed = true;
                    break;
                case StepKind.Relist:
                    _listed = [.. Secondaries.Concat(_dualStack ? V6Secondaries : []).Where((_, i) => (step.Argument & (1 << i)) != 0)];
                    WriteListing();
                    break;
            }
        }

        private void Add(int pod)
        {
            bool armed = _files.Armed;
            try
            {
                var got = _manager.ReserveAll(_config, Network, Container(pod), "eth0").Select(l => l.Address.ToString()).ToHashSet();
                // One address per family the source lists now.
                Assert.Equal(ListsIPv6() ? 2 : 1, got.Count);
                // A new reservation comes from what the source lists now; a repeated ADD keeps the pod's address of
                // each family still listed (one of a family no longer listed stays reserved until DEL).
                _holds.TryGetValue(pod, out HashSet<string>? had);
                foreach (string address in got)
                {
                    if (had is null || !had.Contains(address))
                        Assert.Contains(address, _listed);
                }

                foreach (string address in had ?? [])
                {
                    if (!address.Contains(':', StringComparison.Ordinal) || ListsIPv6())
                        Assert.Contains(address, got);
                }

                _holds[pod] = [.. got, .. had ?? []];
            }
            catch (SimulatedKill)
            {
                Assert.True(armed);
                _holds[pod] = _holds.GetValueOrDefault(pod);
            }
            catch (CniException e) when (e.Code == CniErrorCode.NoAddressAvailable)
            {
                // Refused only when every listed address of a family is taken.
                Assert.False(AnyListedAddressUnowned(), $"pod {pod} was refused although a listed address is free: {e.Message}");
            }
        }

        // DEL and GC must succeed unless the process is killed; after a kill the runtime calls again.
        private void Survive(Func<int> call, int pod, bool released)
        {
            bool armed = _files.Armed;
            try
            {
                call();
                if (released)
                    _holds.Remove(pod);
            }
            catch (SimulatedKill)
            {
                Assert.True(armed);
            }
        }

        private void Check(int pod)
        {
            bool holds = _manager.FindAll(Network, Container(pod), "eth0").Count > 0;
            if (_holds.TryGetValue(pod, out HashSet<string>? addresses) && addresses is not null)
                Assert.True(holds, $"pod {pod} was given {string.Join(", ", addresses)} but CHECK finds no reservation");
            else if (!_holds.ContainsKey(pod))
                Assert.False(holds, $"pod {pod} was never given an address (or released it) but CHECK finds one");
        }

        private void Gc(int validMask)
        {
            var valid = Enumerable.Range(0, Pods).Where(p => (validMask & (1 << p)) != 0)
                .Select(p => new GcAttachment { ContainerId = Container(p), IfName = "eth0" }).ToList();
            bool armed = _files.Armed;
            try
            {
                _manager.Collect(Network, valid);
                foreach (int pod in _holds.Keys.Where(p => (validMask & (1 << p)) == 0).ToList())
                    _holds.Remove(pod);
            }
            catch (SimulatedKill)
            {
                Assert.True(armed);
            }
        }

        private void Status()
        {
            // STATUS says 50 exactly when an ADD of a new pod would find nothing.
            bool free = AnyListedAddressUnowned();
            Exception? error = Record.Exception(() => _manager.CheckReady(_config));
            if (free)
                Assert.Null(error);
            else
                Assert.Equal(CniErrorCode.PluginNotAvailable, Assert.IsType<CniException>(error).Code);
        }

        public void CheckInvariants(Step step)
        {
            IpamState state = Store.Load(); // parses: never torn, never empty
            var owners = state.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).ToList();
            Assert.Equal(owners.Count, owners.Select(r => r.Address).Distinct().Count());
            // At most one address per pod and family.
            Assert.Equal(owners.Count, owners.Select(r => (r.ContainerId, r.Address.Contains(':', StringComparison.Ordinal))).Distinct().Count());
            foreach (AddressRecord owner in owners)
            {
                int pod = int.Parse(owner.ContainerId!.AsSpan(3), CultureInfo.InvariantCulture);
                Assert.True(_holds.TryGetValue(pod, out HashSet<string>? addresses), $"after {step}: pod {pod} owns {owner.Address} but was never given it or released it");
                if (addresses is not null)
                    Assert.Contains(owner.Address, addresses);
            }
            foreach ((int pod, HashSet<string>? addresses) in _holds)
            {
                foreach (string address in addresses ?? [])
                    Assert.Contains(owners, r => r.ContainerId == Container(pod) && r.Address == address);
            }
        }

        // A new pod's ADD can succeed: a free listed address of IPv4 and, while the source lists IPv6, of IPv6.
        private bool AnyListedAddressUnowned()
        {
            var owned = Store.Load().Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).Select(r => r.Address).ToHashSet();
            bool Free(bool v6) => _listed.Any(a => a.Contains(':', StringComparison.Ordinal) == v6 && !owned.Contains(a));
            return Free(v6: false) && (!ListsIPv6() || Free(v6: true));
        }

        // The listing names the IPv6 subnet only while it has a secondary (the fixture leaves an empty one out).
        private bool ListsIPv6() => _listed.Any(a => a.Contains(':', StringComparison.Ordinal));

        private static string Container(int pod) => "pod" + pod.ToString(CultureInfo.InvariantCulture);

        private void WriteListing() =>
            File.WriteAllText(_dir.File("interfaces.json"), Fixtures.DualStackInterfacesJson(Fixtures.Mac, [.. Secondaries.Where(_listed.Contains)], [.. V6Secondaries.Where(_listed.Contains)]));
    }
}
