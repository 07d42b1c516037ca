using System.Globalization;
using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Cni.Recovery;
using AzureCni.Ipam.State.Upstream;
using AzureCni.Json;
using AzureCni.Ipam.Json;
using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.State;

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

    /// <summary>
    /// Fills an empty state from what the node shows and says what it found, when the file is unreadable
    /// (<see cref="UnreadableStateException"/>). By default <see cref="IpamStateRebuild"/> over libcni's result cache
    /// and azure-vnet's endpoints; null: an unreadable file is an error (code 5).
    /// </summary>
    public Func<IpamState, string>? Rebuild { get; init; }

    /// <summary>The invocation's environment (libcni's cache directory, the log directory); this process's when null.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    // This process rebuilt the file: its own writes keep the rebuild's note, so STATUS can report it.
    private bool _rebuiltHere;

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

    /// <summary>
    /// The stored state; a new empty one when the file does not exist. Throws UnreadableStateException when it exists
    /// but holds no state (<see cref="Recover"/> then rebuilds it), CniException 5 when a newer release wrote it.
    /// </summary>
    public IpamState Load() => Load(out _);

    /// <summary>As <see cref="Load()"/>, also giving the file's bytes (null when there was no file), for <see cref="SaveIfChanged"/>.</summary>
    public IpamState Load(out byte[]? raw)
    {
        raw = null;
        byte[]? bytes;
        try
        {
            // The journal's reading: a file a power cut left torn comes back whole from it, and only a file that
            // neither holds is unreadable.
            bytes = Files.ReadState(StatePath);
        }
        catch (IOException) when (System.IO.Directory.Exists(StatePath))
        {
            throw new UnreadableStateException(StatePath, "a directory is in its place");
        }

        if (bytes is null)
        {
            return new IpamState { Version = IpamState.CurrentVersion };
        }

        raw = bytes;
        if (DamagedStateFile.Blank(bytes) is { } blank)
            throw new UnreadableStateException(StatePath, blank);

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
            if (DamagedStateFile.PeekVersion(bytes) is { } version && version > IpamState.CurrentVersion)
                throw DamagedStateFile.FromNewerRelease(PluginName, StatePath, version, IpamState.CurrentVersion);
            throw new UnreadableStateException(StatePath, "not JSON of azure-vnet-ipam's state (" + e.Message + ")", e);
        }

        if (state.Version > IpamState.CurrentVersion)
            throw DamagedStateFile.FromNewerRelease(PluginName, StatePath, state.Version, IpamState.CurrentVersion);
        if (state.Version != IpamState.CurrentVersion)
            throw new UnreadableStateException(StatePath, "version " + state.Version.ToString(CultureInfo.InvariantCulture) + " is no version azure-vnet-ipam wrote");

        if (Damage(state) is { } damage)
            throw new UnreadableStateException(StatePath, damage);

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

    /// <summary>
    /// With the lock held: the state, after moving an unreadable file aside (&lt;name&gt;.corrupt-&lt;UTC time&gt;) and
    /// rebuilding it, unless another process did that first. The rebuild is written at once, with its note
    /// (<see cref="IpamState.Recovered"/>), and reported in one error line.
    /// </summary>
    public IpamState Recover(out byte[]? raw)
    {
        try
        {
            return Load(out raw);
        }
        catch (UnreadableStateException e)
        {
            var rebuild = Rebuild ?? IpamStateRebuild.For(Directory, Environment, Files).Fill;
            DateTime now = DateTime.UtcNow;
            string copy = DamagedStateFile.MoveAsideOrFail(PluginName, e, now);

            var state = new IpamState { Version = IpamState.CurrentVersion };
            string rebuilt = rebuild(state);
            state.Recovered = DamagedStateFile.Summary(StatePath, e.Reason, copy, rebuilt, now);
            _rebuiltHere = true;
            raw = IpamJson.WriteState(state);
            Files.WriteState(StatePath, null, raw, StateDurability.Durable);
            DamagedStateFile.Report(PluginName, state.Recovered, Environment ?? LogEnvironmentOfProcess());
            return state;
        }
    }

    private static Dictionary<string, string> LogEnvironmentOfProcess() =>
        System.Environment.GetEnvironmentVariable(PluginPaths.LogDirVariable) is { Length: > 0 } dir
            ? new Dictionary<string, string> { [PluginPaths.LogDirVariable] = dir }
            : [];

    public void Save(IpamState state) => SaveIfChanged(state, null);

    /// <summary>
    /// Replaces the state file unless it would get the bytes it already holds (<paramref name="raw"/>,
    /// from <see cref="Load(out byte[])"/>): a repeated ADD then costs no write and no fsync. Call with the lock held.
    /// </summary>
    public bool SaveIfChanged(IpamState state, byte[]? raw)
    {
        state.Version = IpamState.CurrentVersion;
        if (!_rebuiltHere)
            state.Recovered = null;
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
