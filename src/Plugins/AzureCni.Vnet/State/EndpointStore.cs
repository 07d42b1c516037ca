using System.Globalization;
using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Cni.Recovery;
using AzureCni.Vnet.State.Upstream;
using AzureCni.Json;

namespace AzureCni.Vnet.State;

/// <summary>
/// azure-vnet.json and azure-vnet.lock in the state directory (<see cref="PluginPaths"/>: /var/run, C:\k, or
/// $AZURE_CNI_STATE_DIR), on both platforms, through the platform's <see cref="IFilePrimitives"/> (crash-safe, journaled state writes)
/// and <see cref="StateLock"/> (bounded wait, code 11). The lock is held only around a read-modify-write of the
/// state, never around netlink or HNS work.
/// </summary>
/// <param name="files">The file primitives; the platform's when null (tests inject the other one).</param>
public sealed class EndpointStore(string directory, IFilePrimitives? files = null)
{
    public const string PluginName = "azure-vnet";
    public static readonly string StateFileName = PluginPaths.StateFileName(PluginName);
    public static readonly string LockFileName = PluginPaths.LockFileName(PluginName);

    /// <summary>Serialises the one-time node setup of a bridge network (separate from the state lock: it covers netlink work).</summary>
    public const string NetworkLockFileName = "azure-vnet.network.lock";

    public string Directory { get; } = directory;

    public string StatePath => Path.Combine(Directory, StateFileName);

    public IFilePrimitives Files { get; } = files ?? FilePrimitives.Current;

    /// <summary>
    /// Fills an empty state from what the node shows and says what it found, when the file is unreadable
    /// (<see cref="UnreadableStateException"/>); null: an unreadable file is an error (code 5).
    /// </summary>
    public Func<VnetState, string>? Rebuild { get; init; }

    /// <summary>The invocation's environment, for the log line of a rebuild.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    // This process rebuilt the file: its own writes keep the rebuild's note, so STATUS can report it.
    private bool _rebuiltHere;

    public static EndpointStore From(IReadOnlyDictionary<string, string> environment) => new(PluginPaths.StateDir(environment));

    /// <summary>The lock every read-modify-write of the state holds (<see cref="Update{T}"/> takes it itself).</summary>
    public StateLock LockState() => Acquire(LockFileName, StateLock.DefaultTimeout);

    public StateLock LockNetworkSetup() => Acquire(NetworkLockFileName, TimeSpan.FromSeconds(30));

    /// <summary>
    /// The state as stored (read without the lock: the file is only ever replaced whole). An unreadable file is moved
    /// aside and rebuilt first, under the lock.
    /// </summary>
    public VnetState Read()
    {
        try
        {
            return Load(out _);
        }
        catch (UnreadableStateException)
        {
            using var held = Acquire(LockFileName, StateLock.DefaultTimeout);
            return Recover(out _);
        }
    }

    /// <summary>
    /// Read-modify-write under the lock; writes only when <paramref name="change"/> changed the bytes.
    /// <see cref="StateDurability.WriteAhead"/> for a record whose only job is to outlive a kill (a power cut takes
    /// the host objects it names along with it): no flush to disk.
    /// </summary>
    public T Update<T>(Func<VnetState, T> change, StateDurability durability = StateDurability.Durable)
    {
        using var held = Acquire(LockFileName, StateLock.DefaultTimeout);
        VnetState state;
        byte[]? raw;
        try
        {
            state = Load(out raw);
        }
        catch (UnreadableStateException)
        {
            state = Recover(out raw);
        }

        // The first ordinary write after a rebuild ends its report.
        if (!_rebuiltHere)
            state.Recovered = null;
        T result = change(state);
        byte[] bytes = Serialize(state);
        if (raw is null || !bytes.AsSpan().SequenceEqual(raw))
        {
            Write(raw, bytes, durability);
        }

        return result;
    }

    private void Write(byte[]? previous, byte[] bytes, StateDurability durability)
    {
        try
        {
            Files.WriteState(StatePath, previous, bytes, durability);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IOFailure, $"azure-vnet: cannot write {StatePath}: {e.Message}");
        }
    }

    /// <summary>With the lock held: the state, rebuilt unless another process did it first.</summary>
    private VnetState Recover(out byte[]? raw)
    {
        try
        {
            return Load(out raw);
        }
        catch (UnreadableStateException e) when (Rebuild is not null)
        {
            DateTime now = DateTime.UtcNow;
            string copy = DamagedStateFile.MoveAsideOrFail(PluginName, e, now);

            var state = new VnetState();
            string rebuilt = Rebuild(state);
            state.Recovered = DamagedStateFile.Summary(StatePath, e.Reason, copy, rebuilt, now);
            raw = Serialize(state);
            Write(null, raw, StateDurability.Durable);
            _rebuiltHere = true;
            DamagedStateFile.Report(PluginName, state.Recovered, Environment);
            return state;
        }
        catch (UnreadableStateException e)
        {
            throw new CniException(CniErrorCode.IOFailure, $"azure-vnet: {e.Message}; nothing here can rebuild it",
                "move the file aside; azure-vnet on Linux rebuilds it from the kernel and the CNI result cache");
        }
    }

    private StateLock Acquire(string name, TimeSpan timeout)
    {
        return StateLock.Acquire(Path.Combine(Directory, name), timeout, Files);
    }

    private VnetState Load(out byte[]? raw)
    {
        try
        {
            raw = Files.ReadState(StatePath);
        }
        catch (IOException) when (System.IO.Directory.Exists(StatePath))
        {
            throw new UnreadableStateException(StatePath, "a directory is in its place");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IOFailure, $"azure-vnet: cannot read {StatePath}: {e.Message}");
        }

        if (raw is null)
        {
            return new VnetState();
        }

        VnetState state;
        try
        {
            if (UpstreamStateFile.IsUpstream(raw, UpstreamKey))
            {
                // Kept beside it byte for byte, converted with every endpoint, under upstream's lock too.
                raw = UpstreamStateFile.Adopt(Files, Directory, PluginName, StatePath, UpstreamKey, ConvertUpstream);
            }

            state = CniJson.Parse<VnetState>(raw);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IOFailure, $"azure-vnet: cannot convert upstream's state file {StatePath}: {e.Message}");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            if (DamagedStateFile.PeekVersion(raw) is { } version && version > VnetState.CurrentVersion)
                throw DamagedStateFile.FromNewerRelease(PluginName, StatePath, version, VnetState.CurrentVersion);

            // Starting over would forget endpoints that exist: the store rebuilds them instead.
            throw new UnreadableStateException(StatePath, DamagedStateFile.Blank(raw) ?? "not JSON of azure-vnet's state (" + e.Message + ")", e);
        }

        if (state.Version > VnetState.CurrentVersion)
            throw DamagedStateFile.FromNewerRelease(PluginName, StatePath, state.Version, VnetState.CurrentVersion);
        if (state.Version != VnetState.CurrentVersion)
            throw new UnreadableStateException(StatePath, "version " + state.Version.ToString(CultureInfo.InvariantCulture) + " is no version azure-vnet wrote");

        return state;
    }

    // upstream Azure CNI's file is {"Network": {...}}.
    private static ReadOnlySpan<byte> UpstreamKey => "Network"u8;

    private static byte[] ConvertUpstream(byte[] upstream) =>
        Serialize(UpstreamVnetConversion.ToOurs(CniJson.Parse<UpstreamVnetFile>(upstream)));

    internal static byte[] Serialize(VnetState state)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = CniJson.CreateWriter(buffer, indented: true))
        {
            state.WriteJson(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
