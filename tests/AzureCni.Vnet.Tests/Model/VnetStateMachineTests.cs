using System.Globalization;
using System.Net;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.State;
using AzureCni.Netlink;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Tests.DataPath;
using CsCheck;

namespace AzureCni.Vnet.Tests.Model;

/// <summary>
/// azure-vnet (in-process IPAM, a recording kernel) against a small model, in both modes: random interleavings of
/// ADD, DEL, CHECK, GC and STATUS over pods whose namespaces the runtime keeps, with the process killed at a random
/// kernel change (nothing after the kill reaches the kernel or the state files, no undo runs). After every call: both
/// state files parse; no address has two owners, in the IPAM or in the kernel's host routes; every endpoint holds
/// the reservation of its address; DEL and GC always succeed when not killed and leave nothing of the pods they
/// remove; CHECK passes for a pod whose ADD succeeded and fails for one deleted. A final GC with no valid attachment
/// leaves no pod object, reservation or endpoint. AZURE_CNI_MODEL_CASES sets how many cases (fixed seed).
/// </summary>
public sealed class VnetStateMachineTests
{
    private const int Pods = 4;

    private static readonly Gen<Step> StepGen = Gen.Frequency(
        (6, Gen.Int[0, Pods - 1].Select(pod => new Step(StepKind.Add, pod))),
        (4, Gen.Int[0, Pods - 1].Select(pod => new Step(StepKind.Del, pod))),
        (2, Gen.Int[0, Pods - 1].Select(pod => new Step(StepKind.Check, pod))),
        (1, Gen.Int[0, (1 << Pods) - 1].Select(valid => new Step(StepKind.Gc, valid))),
        (1, Gen.Const(new Step(StepKind.Status, 0))),
        (3, Gen.Int[1, 12].Select(change => new Step(StepKind.KillAtChange, change))));

    private static long Cases => TestSettings.Count("AZURE_CNI_MODEL_CASES", 150);

    [Fact]
    public void EveryInterleavingWithKillsLeavesOneOwnerPerAddressAndNothingAfterGc() =>
        Gen.Select(Gen.Bool, StepGen.Array[1, 25]).Sample(
            (bridge, steps) => Run(bridge ? "bridge" : "transparent", steps),
            seed: "0N0XIzNsQ0O2", iter: Cases, threads: 1,
            print: t => (t.Item1 ? "bridge: " : "transparent: ") + string.Join(", ", t.Item2.Select(s => s.ToString())));

    private static void Run(string mode, Step[] steps)
    {
        using var node = new ModelNode(mode);
        foreach (Step step in steps)
            node.Apply(step);

        node.Disarm();
        node.Apply(new Step(StepKind.Gc, 0));
        node.AssertNothingOfAnyPod();
    }

    private enum StepKind
    {
        Add,
        Del,
        Check,
        Gc,
        Status,
        KillAtChange,
    }

    private readonly record struct Step(StepKind Kind, int Argument)
    {
        public override string ToString() => $"{Kind}({Argument.ToString(CultureInfo.InvariantCulture)})";
    }

    private sealed class ModelNode : IDisposable
    {
        private readonly FakeNode _node = new();
        private readonly string _config;
        private readonly Dictionary<string, byte[]> _snapshot = [];
        private readonly int[] _generation = new int[Pods];

        // Pods whose last ADD succeeded (CHECK must pass) and pods that may hold something after a killed call.
        private readonly HashSet<int> _added = [];
        private readonly HashSet<int> _maybe = [];
        private int? _killAfter;

        public ModelNode(string mode)
        {
            _config = _node.Config(mode);
            for (int pod = 0; pod < Pods; pod++)
                _node.AddPod(PodName(pod));
            _node.Kernel.OnKill = Snapshot;
        }

        public void Dispose() => _node.Dispose();

        public void Disarm() => _killAfter = null;

        public void Apply(Step step)
        {
            if (step.Kind == StepKind.KillAtChange)
            {
                _killAfter = step.Argument;
                return;
            }

            if (_killAfter is { } n)
                _node.Kernel.KillAtChange = _node.Kernel.Changes + n;
            _killAfter = null;

            switch (step.Kind)
            {
                case StepKind.Add:
                    Add(step.Argument);
                    break;
                case StepKind.Del:
                    Del(step.Argument);
                    break;
                case StepKind.Check:
                    Check(step.Argument);
                    break;
                case StepKind.Gc:
                    Gc(step.Argument);
                    break;
                case StepKind.Status:
                    Call("STATUS", 0);
                    break;
            }

            bool killed = _node.Kernel.Dead;
            _node.Kernel.Revive();
            AssertConsistent(step);
            if (!killed)
                AssertNodeConnected(step);
        }

        private void Add(int pod)
        {
            // A pod that was deleted comes back as a new sandbox (new container ID) in the namespace it kept.
            if (!_added.Contains(pod) && !_maybe.Contains(pod))
                _generation[pod]++;
            (int exit, bool killed) = Call("ADD", pod);
            if (killed)
            {
                _added.Remove(pod);
                _maybe.Add(pod);
            }
            else if (exit == 0)
            {
                _added.Add(pod);
                _maybe.Remove(pod);
            }
            else if (!_added.Contains(pod))
            {
                // Refused (no address left): the undo stack left nothing, unless an earlier kill did.
            }
            // A second ADD of a live attachment (which runtimes do not send) may be refused, but the attachment stays whole.
        }

        private void Del(int pod)
        {
            (IPAddress? address, string container) = Holding(pod);
            (int exit, bool killed) = Call("DEL", pod);
            if (killed)
            {
                _added.Remove(pod);
                _maybe.Add(pod);
                return;
            }

            Assert.True(exit == 0, $"DEL of {container} failed with {exit}");
            _added.Remove(pod);
            _maybe.Remove(pod);
            AssertNothingOf(container, address);
        }

        private void Check(int pod)
        {
            (int exit, bool killed) = Call("CHECK", pod);
            if (killed)
                return;
            if (_added.Contains(pod))
                Assert.True(exit == 0, $"CHECK of {Container(pod)} after its ADD failed");
            else if (!_maybe.Contains(pod))
                Assert.True(exit != 0, $"CHECK of {Container(pod)}, which holds nothing, passed");
        }

        private void Gc(int validMask)
        {
            var gone = Enumerable.Range(0, Pods).Where(p => (validMask & (1 << p)) == 0).Select(p => (Pod: p, Held: Holding(p))).ToList();
            string valid = string.Join(",", Enumerable.Range(0, Pods).Where(p => (validMask & (1 << p)) != 0)
                .Select(p => $"{{\"containerID\":\"{Container(p)}\",\"ifname\":\"eth0\"}}"));
            string config = _config.Insert(_config.IndexOf(",\"ipam\"", StringComparison.Ordinal), $",\"cni.dev/valid-attachments\":[{valid}]");
            (int exit, bool killed) = Call("GC", -1, config);
            if (killed)
            {
                // Pods outside the valid list are gone for the runtime; a killed GC may have removed part of them.
                foreach ((int pod, _) in gone.Where(g => _added.Remove(g.Pod)))
                    _maybe.Add(pod);
                return;
            }

            Assert.True(exit == 0, $"GC failed with {exit}");
            foreach ((int pod, (IPAddress? address, string container)) in gone)
            {
                _added.Remove(pod);
                _maybe.Remove(pod);
                AssertNothingOf(container, address);
            }
        }

        private (int Exit, bool Killed) Call(string command, int pod, string? config = null)
        {
            _snapshot.Clear();
            var outcome = _node.Run(command, pod < 0 ? "gc" : Container(pod), pod < 0 ? null : PodName(pod), config ?? _config);
            if (!_node.Kernel.Dead)
                return (outcome.Exit, false);

            // The process died at the snapshot: what it wrote after that never happened.
            foreach (string file in StateFiles())
                File.Delete(file);
            foreach ((string file, byte[] bytes) in _snapshot)
                File.WriteAllBytes(file, bytes);
            return (outcome.Exit, true);
        }

        private void Snapshot()
        {
            foreach (string file in StateFiles())
                _snapshot[file] = File.ReadAllBytes(file);
        }

        private IEnumerable<string> StateFiles() =>
            Directory.EnumerateFiles(_node.Dir).Where(f => f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith("interfaces.json", StringComparison.Ordinal)).ToList();

        // What the pod holds by the state, read before a call that removes it.
        private (IPAddress? Address, string Container) Holding(int pod)
        {
            string container = Container(pod);
            AddressRecord? record = new IpamStore(_node.Dir).Load().Pools.SelectMany(p => p.Addresses).FirstOrDefault(r => r.ContainerId == container);
            return (record is null ? null : IPAddress.Parse(record.Address), container);
        }

        private void AssertNothingOf(string container, IPAddress? address)
        {
            var kernel = _node.Kernel;
            Assert.DoesNotContain(kernel.Rules.Keys, tag => tag.Contains(container, StringComparison.Ordinal));
            Assert.DoesNotContain(new EndpointStore(_node.Dir).Read().Endpoints, e => e.ContainerId == container);
            Assert.DoesNotContain(new IpamStore(_node.Dir).Load().Pools.SelectMany(p => p.Addresses), r => r.ContainerId == container);
            if (address is null)
                return;
            Assert.DoesNotContain(kernel.Node.Routes, r => Equals(r.Destination, address) && r.DestinationPrefixLength == 32);
            Assert.DoesNotContain(kernel.Node.Neighbors, n => n.Address.Equals(address));
        }

        private void AssertConsistent(Step step)
        {
            IpamState ipam = new IpamStore(_node.Dir).Load();
            VnetState vnet = new EndpointStore(_node.Dir).Read();
            var owners = ipam.Pools.SelectMany(p => p.Addresses).Where(r => r.InUse).ToList();
            Assert.Equal(owners.Count, owners.Select(r => r.Address).Distinct().Count());

            // An endpoint's address is reserved for it: otherwise a new pod could be given it.
            foreach (EndpointRecord endpoint in vnet.Endpoints)
            {
                foreach (string address in endpoint.Addresses.Select(a => a.Split('/')[0]))
                    Assert.True(owners.Exists(r => r.Address == address && r.ContainerId == endpoint.ContainerId), $"after {step}: endpoint {endpoint.ContainerId} has {address} without its reservation");
            }

            // One host route per pod address, and only to an address someone holds.
            var hostRoutes = _node.Kernel.Node.Routes.Where(r => r.Destination is not null && r.DestinationPrefixLength == 32).ToList();
            Assert.Equal(hostRoutes.Count, hostRoutes.Select(r => r.Destination).Distinct().Count());
            foreach (RouteEntry route in hostRoutes)
                Assert.True(owners.Exists(r => r.Address == route.Destination!.ToString()), $"after {step}: a host route to {route.Destination} that no one holds");
        }

        // The node keeps its address and default route on one link (eth0, or the bridge eth0 is a port of) after every
        // call that was not killed: a call that finds a node setup a kill interrupted completes it first.
        private void AssertNodeConnected(Step step)
        {
            var node = _node.Kernel.Node;
            var holders = node.Addresses.Where(a => a.Address.ToString() == "10.240.0.4").ToList();
            Assert.True(holders.Count == 1, $"after {step}: 10.240.0.4 is on {holders.Count} links\n{node.Snapshot()}");
            int index = holders[0].InterfaceIndex;
            var eth0 = node.GetLink("eth0");
            Assert.True(index == eth0.Index || eth0.MasterIndex == index, $"after {step}: 10.240.0.4 is on a link eth0 is not a port of\n{node.Snapshot()}");
            Assert.True(node.Routes.Exists(r => r.Destination is null && Equals(r.Gateway, IPAddress.Parse("10.240.0.1")) && r.OutputInterfaceIndex == index),
                $"after {step}: no default route via 10.240.0.1 on the link holding the node's address\n{node.Snapshot()}");
        }

        public void AssertNothingOfAnyPod()
        {
            var kernel = _node.Kernel;
            Assert.Equal(0, new IpamStore(_node.Dir).Load().InUseCount());
            Assert.Empty(new EndpointStore(_node.Dir).Read().Endpoints);
            Assert.All(kernel.Rules.Keys, tag => Assert.StartsWith("azcni:node:", tag, StringComparison.Ordinal));
            Assert.DoesNotContain(kernel.Node.Routes, r => r.Destination is not null && r.DestinationPrefixLength == 32);
            Assert.DoesNotContain(kernel.Node.Neighbors, n => n.State == NeighborState.Permanent);
            Assert.DoesNotContain(kernel.Node.Links, l => l.Kind == "veth");
        }

        private string Container(int pod) =>
            $"c{pod.ToString(CultureInfo.InvariantCulture)}g{_generation[pod].ToString(CultureInfo.InvariantCulture)}0000000000000";

        private static string PodName(int pod) => "pod" + pod.ToString(CultureInfo.InvariantCulture);
    }
}
