using System.Globalization;
using System.Text.Json;
using AzureCni.Cni.Files;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Ipam.State.Upstream;
using AzureCni.Json;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.State;

/// <summary>The state file was there but could not be read as state: never taken for a fresh start.</summary>
public sealed class StateCorruptException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// azure-vnet-ipam.json and its lock file in the state directory (<see cref="PluginPaths"/>: /var/run, C:\k, or
/// $AZURE_CNI_STATE_DIR). Writes are crash-safe (<see cref="IFilePrimitives.WriteState"/>), so a reader sees either
/// the old or the new state, never a torn one.
/// </summary>
public sealed class IpamStore
{
    public const string PluginName = "azure-vnet-ipam";
    public static readonly string StateFileName = PluginPaths.StateFileName(PluginName);
    public static readonly string LockFileName = PluginPaths.LockFileName(PluginName);
    public const string RefreshLockFileName = "azure-vnet-ipam.refresh.lock";

    /// <param name="files">The file primitives; the platform's when null (tests inject the other one).</param>
    public IpamStore(string directory, IFilePrimitives? files = null)
    {
        Directory = directory;
        Files = files ?? FilePrimitives.Current;
        StatePath = Path.Combine(directory, StateFileName);
        LockPath = Path.Combine(directory, LockFileName);
        RefreshLockPath = Path.Combine(directory, RefreshLockFileName);
    }

    public string Directory { get; }

    public IFilePrimitives Files { get; }

    public string StatePath { get; }

    /// <summary>Held around every read-modify-write of the state.</summary>
    public string LockPath { get; }

    /// <summary>Held by the one process querying a remote source, so a burst of ADDs makes one query.</summary>
    public string RefreshLockPath { get; }

    public static IpamStore FromEnvironment() => new(PluginPaths.StateDirOfProcess());

    public StateLock Lock(TimeSpan timeout)
    {
        EnsureDirectory();
        return StateLock.Acquire(LockPath, timeout, Files);
    }

    public StateLock LockRefresh(TimeSpan timeout)
    {
        EnsureDirectory();
        return StateLock.Acquire(RefreshLockPath, timeout, Files);
    }

    /// <summary>The refresh lock if it is free now, else null.</summary>
    public StateLock? TryLockRefresh()
    {
        EnsureDirectory();
        return StateLock.TryAcquire(RefreshLockPath, Files);
    }

    /// <summary>The stored state; a new empty one when the file does not exist. Throws StateCorruptException when it exists but is not valid state.</summary>
    public IpamState Load() => Load(out _);

    /// <summary>As <see cref="Load()"/>, also giving the file's bytes (null when there was no file), for <see cref="SaveIfChanged"/>.</summary>
    public IpamState Load(out byte[]? raw)
    {
        raw = null;
        byte[]? bytes = Files.ReadState(StatePath);
        if (bytes is null)
        {
            return new IpamState { Version = IpamState.CurrentVersion };
        }

        raw = bytes;
        if (bytes.AsSpan().Trim(" \t\r\n\0"u8).IsEmpty)
        {
            throw new StateCorruptException(
                $"state file {StatePath} is empty ({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes); refusing to start over, which could hand out addresses that are in use");
        }

        IpamState state;
        try
        {
            if (UpstreamStateFile.IsUpstream(bytes, UpstreamKey))
            {
                // Kept beside it byte for byte, converted with every reservation, under upstream's lock too.
                bytes = UpstreamStateFile.Adopt(Files, Directory, PluginName, StatePath, UpstreamKey, ConvertUpstream);
                raw = bytes;
            }

            state = IpamJson.ReadState(bytes);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new StateCorruptException(
                $"state file {StatePath} is corrupt ({e.Message}); refusing to start over, which could hand out addresses that are in use", e);
        }

        if (state.Version != IpamState.CurrentVersion)
        {
            throw new StateCorruptException(
                $"state file {StatePath} has version {state.Version.ToString(CultureInfo.InvariantCulture)}; this azure-vnet-ipam reads version {IpamState.CurrentVersion.ToString(CultureInfo.InvariantCulture)}; refusing to start over");
        }

        if (Damage(state) is { } damage)
        {
            throw new StateCorruptException(
                $"state file {StatePath} is corrupt ({damage}); refusing to start over, which could hand out addresses that are in use");
        }

        return state;
    }

    // What the allocator parses later, checked at the read: a damaged or hand-edited record is refused here, as a
    // corrupt file, instead of failing a command half-way with a parse error.
    private static string? Damage(IpamState state)
    {
        foreach (var pool in state.Pools)
        {
            if (!System.Net.IPNetwork.TryParse(pool.Subnet, out _))
                return $"pool subnet \"{pool.Subnet}\" is not a CIDR prefix";

            if (!System.Net.IPAddress.TryParse(pool.Gateway, out _))
                return $"pool {pool.Subnet}: gateway \"{pool.Gateway}\" is not an IP address";

            foreach (var record in pool.Addresses)
            {
                if (!System.Net.IPAddress.TryParse(record.Address, out _))
                    return $"pool {pool.Subnet}: address \"{record.Address}\" is not an IP address";
            }
        }

        return null;
    }

    // upstream Azure CNI's file is {"IPAM": {...}}.
    private static ReadOnlySpan<byte> UpstreamKey => "IPAM"u8;

    private static byte[] ConvertUpstream(byte[] upstream) =>
        IpamJson.WriteState(UpstreamIpamConversion.ToOurs(CniJson.Parse<UpstreamIpamFile>(upstream)));

    public void Save(IpamState state) => SaveIfChanged(state, null);

    /// <summary>
    /// Replaces the state file unless it would get the bytes it already holds (<paramref name="raw"/>,
    /// from <see cref="Load(out byte[])"/>): a repeated ADD then costs no write and no fsync. Call with the lock held.
    /// </summary>
    public bool SaveIfChanged(IpamState state, byte[]? raw)
    {
        state.Version = IpamState.CurrentVersion;
        byte[] bytes = IpamJson.WriteState(state);
        if (raw is not null && bytes.AsSpan().SequenceEqual(raw))
        {
            return false;
        }

        Files.WriteState(StatePath, raw, bytes, StateDurability.Durable);
        return true;
    }

    private void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
    }
}
