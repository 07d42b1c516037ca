using AzureCni.Cni.Collections;
using AzureCni.Cni.Types;
using System.Net;
using System.Net.Sockets;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Logging;
using AzureCni.Cni.Recovery;
using AzureCni.Ipam.Config;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.State;

namespace AzureCni.Ipam.Allocation;

/// <summary>An address handed out: what a CNI result needs.</summary>
public readonly record struct IpamLease(IPAddress Address, int PrefixLength, IPAddress Gateway, string Subnet, IReadOnlyList<string> Nameservers);

public sealed class AddressManagerOptions
{
    public TimeSpan LockTimeout { get; init; } = StateLock.DefaultTimeout;

    /// <summary>Unix time in milliseconds; replaced by tests of the rate limiter.</summary>
    public Func<long> Clock { get; init; } = static () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Makes the source for a config; replaced by tests that fake local NICs.</summary>
    public Func<IpamConfig, IAddressSource>? SourceFactory { get; init; }

    /// <summary>Where warnings go; stderr by default (the runtime logs a plugin's stderr).</summary>
    public Action<string> Warn { get; init; } = static message => PluginWarnings.Write(IpamStore.PluginName, message);
}

/// <summary>
/// The IPAM as a library: azure-vnet-ipam's commands, callable in-process by azure-vnet too (same state
/// file, same lock). Each call is one short read-modify-write under the state lock; a remote source is
/// queried outside that lock, by one process at a time, at most once per queryInterval.
/// </summary>
public sealed class AddressManager(IpamStore store, AddressManagerOptions? options = null)
{
    /// <summary>The Azure DNS proxy every Azure VM reaches (not used by environment local).</summary>
    public const string AzureDns = "168.63.129.16";

    private static readonly string[] AzureNameservers = [AzureDns];

    private readonly AddressManagerOptions _options = options ?? new AddressManagerOptions();

    public IpamStore Store => store;

    /// <summary>The state as the last call left it (the object it loaded and then changed); null before any.</summary>
    public IpamState? HeldState { get; private set; }

    /// <summary>
    /// ADD: reserves an address for the attachment (the same one on a repeated ADD), from the pools the
    /// config's source lists. <paramref name="network"/> is the config's "name": reservations belong to it.
    /// On a dual-stack node this reserves one address of each family, like <see cref="ReserveAll"/>, and returns the first.
    /// </summary>
    public IpamLease Reserve(IpamConfig config, string network, string containerId, string ifName) =>
        ReserveAll(config, network, containerId, ifName)[0];

    /// <summary>
    /// ADD: one address per family the source lists (IPv4 first; a single-stack node gets one), all or none: a
    /// family without a free address fails the call and leaves nothing reserved.
    /// </summary>
    public IReadOnlyList<IpamLease> ReserveAll(IpamConfig config, string network, string containerId, string ifName)
    {
        var source = CreateSource(config);
        if (source.IsRemote)
            RefreshRemote(source, config);

        // Read before the lock: a slow or hostile source never holds up the node's other IPAM calls.
        var localPools = source.IsRemote ? null : LoadLocal(source);
        using (store.Lock(_options.LockTimeout))
        {
            var state = LoadState(out byte[]? raw);
            if (localPools is not null)
                PoolMerger.Merge(state, source.Identity, localPools);

            var reservation = AddressAllocator.ReserveEachFamily(state, network, containerId, ifName,
                new ReserveOptions(config.Subnet, config.IpAddress, Scope(state, source, config)));
            SaveState(state, raw);
            IReadOnlyList<string> nameservers = string.Equals(config.Environment, IpamEnvironment.Local, StringComparison.Ordinal) ? [] : AzureNameservers;
            var first = Lease(reservation.First, nameservers);
            return reservation.Second is { } second ? [first, Lease(second, nameservers)] : [first];
        }
    }

    private static IpamLease Lease((AddressPool Pool, AddressRecord Record) reserved, IReadOnlyList<string> nameservers) =>
        new(IPAddress.Parse(reserved.Record.Address), reserved.Pool.PrefixLength, reserved.Pool.GatewayAddress, reserved.Pool.Subnet, nameservers);

    /// <summary>The pools a config may allocate from: those its source listed, narrowed to ipam.subnets when given.</summary>
    private static IReadOnlyList<string> Scope(IpamState state, IAddressSource source, IpamConfig config)
    {
        var listed = state.FindSource(source.Identity)?.Subnets ?? [];
        return config.Subnets.Count == 0 ? listed : listed.FindAll(config.Subnets.ContainsOrdinal);
    }

    /// <summary>DEL: releases ipam.ipAddress, or whatever the attachment holds. Nothing to release is success; the source is not consulted.</summary>
    public int Release(IpamConfig config, string network, string containerId, string ifName)
    {
        using (store.Lock(_options.LockTimeout))
        {
            IpamState state;
            byte[]? raw;
            try
            {
                state = LoadState(out raw);
            }
            catch (CniException e) when (e.Code == CniErrorCode.IOFailure)
            {
                // A DEL never fails on the state file (a newer release's, one that cannot be read or rebuilt): the
                // pod must go; its address stays recorded wherever it was.
                _options.Warn($"DEL of {containerId}/{ifName} released nothing: {e.Message}");
                return 0;
            }

            int released = AddressAllocator.Release(state, network, containerId, ifName, config.IpAddress);
            if (released > 0)
                SaveState(state, raw);

            return released;
        }
    }

    /// <summary>GC: releases every reservation of the network whose attachment is not in the valid list.</summary>
    public int Collect(string network, IReadOnlyCollection<GcAttachment> valid)
    {
        using (store.Lock(_options.LockTimeout))
        {
            var state = LoadState(out byte[]? raw);
            int released = AddressAllocator.Collect(state, network, valid);
            if (released > 0)
                SaveState(state, raw);

            return released;
        }
    }

    /// <summary>CHECK: the reservation the attachment holds (the IPv4 one on a dual-stack node), or null.</summary>
    public (AddressPool Pool, AddressRecord Record)? Find(string network, string containerId, string ifName)
    {
        using (store.Lock(_options.LockTimeout))
        {
            return AddressAllocator.Find(LoadState(), network, containerId, ifName);
        }
    }

    /// <summary>CHECK: every reservation the attachment holds (both families on a dual-stack node), IPv4 first.</summary>
    public List<(AddressPool Pool, AddressRecord Record)> FindAll(string network, string containerId, string ifName)
    {
        using (store.Lock(_options.LockTimeout))
        {
            return AddressAllocator.FindAll(LoadState(), network, containerId, ifName);
        }
    }

    /// <summary>
    /// STATUS: throws CniException 50 when an ADD could not succeed now. The runtime polls it while ADDs run, so it
    /// reads the state without the lock (the file is only ever replaced whole); only the one query of a remote source
    /// per queryInterval, when it falls to this call, writes under the lock.
    /// </summary>
    public void CheckReady(IpamConfig config)
    {
        var source = CreateSource(config);
        IpamState state;
        try
        {
            if (source.IsRemote)
                RefreshRemote(source, config);

            state = LoadStateUnlocked();
            if (state.Recovered is { } note)
                _options.Warn(note);

            if (source.IsRemote && state.FindSource(source.Identity)?.Error is { } error)
                throw new CniException(CniErrorCode.PluginNotAvailable, $"the address source {source.Identity} cannot be read: {error}");

            if (!source.IsRemote)
                PoolMerger.Merge(state, source.Identity, source.Load());
        }
        catch (CniException e) when (e.Code is CniErrorCode.Runtime or CniErrorCode.IOFailure)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, e.Message, e.Details);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"the address source {source.Identity} cannot be read: {e.Message}");
        }

        if (!AddressAllocator.HasFreeAddress(state, config.Subnet, Scope(state, source, config)))
        {
            throw new CniException(CniErrorCode.PluginNotAvailable,
                $"no free address in {(string.IsNullOrEmpty(config.Subnet) ? "any pool" : "subnet " + config.Subnet)} ({state.InUseCount()} in use)");
        }
    }

    private IAddressSource CreateSource(IpamConfig config) =>
        _options.SourceFactory?.Invoke(config) ?? AddressSources.Create(config, warn: _options.Warn);

    private static List<AddressPool> LoadLocal(IAddressSource source)
    {
        try
        {
            return source.Load();
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.Runtime, $"cannot read the address source {source.Identity}: {e.Message}");
        }
    }

    // Queries a remote source when the stored listing is older than queryInterval. One process queries
    // (the refresh lock); the others use the stored pools meanwhile, or wait for them when there are none.
    private void RefreshRemote(IAddressSource source, IpamConfig config)
    {
        var state = LoadStateUnlocked();
        if (IsFresh(state, source, config))
            return;

        StateLock? refresh = store.TryLockRefresh();
        if (refresh is null)
        {
            if (HasListing(state, source))
                return;

            // Long enough to outlast the query the holder is making.
            refresh = store.LockRefresh(_options.LockTimeout + AddressSources.QueryTimeout);
        }

        using (refresh)
        {
            state = LoadStateUnlocked();
            if (IsFresh(state, source, config))
                return;

            List<AddressPool>? pools = null;
            string? error = null;
            try
            {
                pools = source.Load();
            }
            catch (Exception e) when (e is IOException or FormatException or SocketException or UnauthorizedAccessException)
            {
                error = e.Message;
            }

            using (store.Lock(_options.LockTimeout))
            {
                state = LoadState(out byte[]? raw);
                var status = state.GetOrAddSource(source.Identity);
                status.LastQuery = _options.Clock();
                if (pools is not null)
                    PoolMerger.Merge(state, source.Identity, pools);
                else
                    status.Error = error;

                SaveState(state, raw);
            }

            if (error is not null)
            {
                if (!HasListing(state, source))
                    throw new CniException(CniErrorCode.Runtime, $"cannot read the address source {source.Identity}: {error}");

                _options.Warn($"query of {source.Identity} failed, using the pools it listed before: {error}");
            }
        }
    }

    private bool IsFresh(IpamState state, IAddressSource source, IpamConfig config)
    {
        if (state.FindSource(source.Identity) is not { Listed: true } status)
            return false;

        long age = _options.Clock() - status.LastQuery;
        return age >= 0 && age < config.QueryIntervalSeconds * 1000L;
    }

    private static bool HasListing(IpamState state, IAddressSource source) =>
        state.FindSource(source.Identity) is { Listed: true };

    // A reader needs no lock: renames replace the file whole. A damaged file is rebuilt under the lock.
    private IpamState LoadStateUnlocked() => LoadState(out _, locked: false);

    private IpamState LoadState() => LoadState(out _);

    private IpamState LoadState(out byte[]? raw, bool locked = true)
    {
        try
        {
            return HeldState = store.Load(out raw);
        }
        catch (UnreadableStateException)
        {
            return Recover(out raw, locked);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IOFailure, $"cannot read {store.StatePath}: {e.Message}");
        }
    }

    private IpamState Recover(out byte[]? raw, bool locked)
    {
        try
        {
            if (locked)
                return HeldState = store.Recover(out raw);
            using (store.Lock(_options.LockTimeout))
                return HeldState = store.Recover(out raw);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IOFailure, $"cannot rebuild {store.StatePath}: {e.Message}");
        }
    }

    private void SaveState(IpamState state, byte[]? raw = null)
    {
        try
        {
            store.SaveIfChanged(state, raw);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IOFailure, $"cannot save {store.StatePath}: {e.Message}");
        }
    }
}
