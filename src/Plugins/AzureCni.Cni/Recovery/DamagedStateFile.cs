using System.Globalization;
using AzureCni.Cni.Logging;

namespace AzureCni.Cni.Recovery;

/// <summary>
/// A state file that exists but holds no state this release can read: empty, torn, NUL-filled (a power cut on an
/// unsynced write, a full disk), JSON of the wrong shape, or a directory in its place. The store that meets it moves
/// it aside and rebuilds the state from what the node shows; it is never taken for a fresh start.
/// </summary>
public sealed class UnreadableStateException(string path, string reason, Exception? inner = null)
    : IOException($"state file {path} is unreadable: {reason}", inner)
{
    public string StatePath { get; } = path;

    public string Reason { get; } = reason;
}

/// <summary>What a store does with a damaged state file: see <see cref="UnreadableStateException"/>.</summary>
public static class DamagedStateFile
{
    /// <summary>The reason a file of these bytes holds no state at all (empty, blanks, NULs), or null when it has content to parse.</summary>
    public static string? Blank(ReadOnlySpan<byte> bytes)
    {
        string size = bytes.Length.ToString(CultureInfo.InvariantCulture) + " bytes";
        if (bytes.IsEmpty)
            return "empty (0 bytes)";
        if (bytes.IndexOfAnyExcept((byte)0) < 0)
            return "NUL-filled (" + size + ")";
        if (bytes.Trim(" \t\r\n\0"u8).IsEmpty)
            return "blank (" + size + ")";
        return null;
    }

    /// <summary>
    /// The top-level "version" number of a JSON object that did not parse as this release's state, or null: a newer
    /// release's file may hold members of other shapes, and must still be told from a damaged one.
    /// </summary>
    public static int? PeekVersion(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(bytes, AzureCni.Json.CniJson.ReaderOptions);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
                return null;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                bool isVersion = reader.ValueTextEquals("version"u8) || reader.ValueTextEquals("Version"u8);
                if (!reader.Read())
                    return null;
                if (isVersion)
                    return reader.TokenType == System.Text.Json.JsonTokenType.Number && reader.TryGetInt32(out int version) ? version : null;
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return null;
    }

    /// <summary>
    /// Renames the file (or the directory) at <paramref name="path"/> to &lt;path&gt;.corrupt-&lt;UTC time&gt; beside it
    /// and returns that name; nothing is deleted. Call with the state lock held.
    /// </summary>
    public static string MoveAside(string path, DateTime utcNow)
    {
        string stem = path + ".corrupt-" + utcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        string copy = stem;
        for (int n = 1; File.Exists(copy) || Directory.Exists(copy); n++)
            copy = stem + "-" + n.ToString(CultureInfo.InvariantCulture);

        if (Directory.Exists(path))
            Directory.Move(path, copy);
        else
            File.Move(path, copy);
        return copy;
    }

    /// <summary>
    /// <see cref="MoveAside"/> of the file <paramref name="damage"/> names; one that cannot be moved (a read-only
    /// directory) is code 5, since a rebuild must never overwrite it.
    /// </summary>
    public static string MoveAsideOrFail(string plugin, UnreadableStateException damage, DateTime utcNow)
    {
        try
        {
            return MoveAside(damage.StatePath, utcNow);
        }
        catch (Exception move) when (move is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IOFailure, $"{plugin}: {damage.Message}; cannot move it aside: {move.Message}");
        }
    }

    /// <summary>The error of a state file written by a newer release of this project, which an older one never overwrites.</summary>
    public static CniException FromNewerRelease(string plugin, string path, int found, int supported) =>
        new(CniErrorCode.IOFailure,
            $"{plugin}: state file {path} has version {found.ToString(CultureInfo.InvariantCulture)}, written by a newer release; this {plugin} reads version {supported.ToString(CultureInfo.InvariantCulture)} and will not overwrite it",
            "install the newer release again, or move the file aside if the node is being downgraded on purpose (DEL still removes pods)");

    /// <summary>
    /// The one error line of a rebuild (file, copy, what was rebuilt), in the plugin's log and on stderr, which the
    /// runtime records.
    /// </summary>
    public static void Report(string plugin, string message, IReadOnlyDictionary<string, string> environment)
    {
        PluginWarnings.Write(plugin, message);
        try
        {
            using var log = CniLog.Create(plugin, environment, debug: false);
            ((Serilog.ILogger)log).Error("{Message}", [message]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The log is best effort; stderr has the line.
        }
    }

    /// <summary>The summary a rebuilt state keeps until its next ordinary write, which STATUS reports.</summary>
    public static string Summary(string path, string reason, string copy, string rebuilt, DateTime utcNow) =>
        $"{utcNow.ToString("s", CultureInfo.InvariantCulture)}Z: state file {path} was unreadable ({reason}); moved to {copy}; rebuilt {rebuilt}";
}
