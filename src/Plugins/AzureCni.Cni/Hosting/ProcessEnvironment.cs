using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AzureCni.Cni.Hosting;

/// <summary>
/// The process environment as a read-only dictionary that looks names up one at a time (getenv) and builds the
/// full table only when someone enumerates it (a delegated plugin gets all of it). Building the table up front
/// cost every start-up a Hashtable of every variable and the randomized string-hash seed read from /dev/urandom,
/// while a CNI command only ever asks for a dozen names.
/// </summary>
internal sealed class ProcessEnvironment : IReadOnlyDictionary<string, string>
{
    private Dictionary<string, string>? _snapshot;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (_snapshot is not null)
        {
            return _snapshot.TryGetValue(key, out value);
        }

        value = System.Environment.GetEnvironmentVariable(key);
        return value is not null;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public string this[string key] => TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => Snapshot.Keys;

    public IEnumerable<string> Values => Snapshot.Values;

    public int Count => Snapshot.Count;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Snapshot.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<string, string> Snapshot => _snapshot ??= Capture();

    private static Dictionary<string, string> Capture()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return environment;
    }
}
