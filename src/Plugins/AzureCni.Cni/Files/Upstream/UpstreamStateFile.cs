using System.Globalization;
using System.Text.Json;

namespace AzureCni.Cni.Files.Upstream;

/// <summary>
/// Takes over a state file upstream Azure CNI wrote (<c>{"IPAM": ...}</c> or <c>{"Network": ...}</c>): recognises it,
/// keeps a byte-exact copy beside it (<c>&lt;file&gt;.upstream-&lt;UTC yyyyMMddTHHmmssZ&gt;</c>) and replaces it with
/// our converted state, all under upstream's own lock (<c>&lt;state dir&gt;/azure-vnet/&lt;plugin&gt;.lock</c>), so an
/// upstream call still running during the switch never interleaves its write with ours.
/// </summary>
public static class UpstreamStateFile
{
    /// <summary>How long conversion waits for upstream's lock (upstream itself waits 30 s).</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Upstream's flock file for <paramref name="plugin"/> in <paramref name="stateDirectory"/>.</summary>
    public static string LockPath(string stateDirectory, string plugin) =>
        Path.Combine(stateDirectory, "azure-vnet", plugin + ".lock");

    public static string CopyPath(string statePath, DateTime utcNow) =>
        statePath + ".upstream-" + utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// True when the document is upstream's: its top-level object has <paramref name="upstreamKey"/>. Our files start
    /// with "version", which ends the check after the first member name, so an ordinary call pays no second parse.
    /// </summary>
    public static bool IsUpstream(ReadOnlySpan<byte> json, ReadOnlySpan<byte> upstreamKey)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("version"u8))
                    return false;
                if (reader.ValueTextEquals(upstreamKey))
                    return true;
                if (!reader.Read() || !reader.TrySkip())
                    return false;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>
    /// Converts an upstream file in place. Under upstream's lock the file is read again (another process may have
    /// converted it meanwhile: then its bytes are returned as they are), copied aside, and replaced by
    /// <paramref name="convert"/>'s bytes. Returns the bytes the state file holds afterwards.
    /// </summary>
    public static byte[] Adopt(
        IFilePrimitives files, string stateDirectory, string plugin, string statePath,
        ReadOnlySpan<byte> upstreamKey, Func<byte[], byte[]> convert)
    {
        using var upstreamLock = StateLock.Acquire(LockPath(stateDirectory, plugin), LockTimeout, files);
        byte[]? current = files.ReadOrNull(statePath);
        if (current is null || !IsUpstream(current, upstreamKey))
            return current ?? [];

        byte[] converted = convert(current);
        files.Replace(CopyPath(statePath, DateTime.UtcNow), current);
        files.Replace(statePath, converted);
        return converted;
    }
}
