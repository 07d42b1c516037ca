using AzureCni.Cni.Collections;

namespace AzureCni.Cni;

/// <summary>
/// CNI_ARGS: "K=V;K=V". As libcni's LoadArgs: every pair needs exactly one '='; a key the plugin does not
/// know is an error unless IgnoreUnknown is true ("1"/"true", case-insensitive).
/// </summary>
public sealed class CniArgs
{
    public const string PodNamespaceKey = "K8S_POD_NAMESPACE";
    public const string PodNameKey = "K8S_POD_NAME";
    public const string PodInfraContainerIdKey = "K8S_POD_INFRA_CONTAINER_ID";
    public const string PodUidKey = "K8S_POD_UID";
    public const string IgnoreUnknownKey = "IgnoreUnknown";

    /// <summary>The keys the Azure plugins understand (upstream's K8SPodEnvArgs, plus the pod UID Kubernetes sends).</summary>
    public static readonly string[] KnownKeys = [IgnoreUnknownKey, PodNamespaceKey, PodNameKey, PodInfraContainerIdKey, PodUidKey];

    public static readonly CniArgs Empty = new([], false);

    private readonly KeyValuePair<string, string>[] _pairs;

    private CniArgs(KeyValuePair<string, string>[] pairs, bool ignoreUnknown)
    {
        _pairs = pairs;
        IgnoreUnknown = ignoreUnknown;
    }

    public bool IgnoreUnknown { get; }

    /// <summary>Every pair in order, known or not.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public string? PodNamespace => Get(PodNamespaceKey);

    public string? PodName => Get(PodNameKey);

    public string? Get(string key)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
                return pair.Value;
        }

        return null;
    }

    /// <summary>Parses CNI_ARGS; throws code 4 (invalid environment) naming the offending pair or key.</summary>
    public static CniArgs Parse(string? text, IReadOnlyCollection<string>? knownKeys = null, bool strict = true)
    {
        if (string.IsNullOrEmpty(text))
            return Empty;

        knownKeys ??= KnownKeys;
        var parts = text.Split(';');
        var pairs = new KeyValuePair<string, string>[parts.Length];
        bool ignoreUnknown = false;
        List<string>? unknown = null;
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            int eq = part.IndexOf('=');
            if (eq < 0 || part.IndexOf('=', eq + 1) >= 0)
                throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_ARGS: invalid pair \"{part}\": expected KEY=VALUE");

            string key = part[..eq];
            string value = part[(eq + 1)..];
            pairs[i] = new(key, value);
            if (key == IgnoreUnknownKey)
                ignoreUnknown = ParseBool(value);
            else if (!knownKeys.ContainsOrdinal(key))
                (unknown ??= []).Add(key);
        }

        if (unknown is not null && !ignoreUnknown && strict)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_ARGS: unknown key{(unknown.Count > 1 ? "s" : "")} \"{string.Join("\", \"", unknown)}\" (set IgnoreUnknown=1 to allow unknown keys)");
        }

        return new CniArgs(pairs, ignoreUnknown);
    }

    private static bool ParseBool(string value)
    {
        if (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase))
            return true;

        if (value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase))
            return false;

        throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_ARGS: IgnoreUnknown has an invalid boolean value \"{value}\"");
    }
}
