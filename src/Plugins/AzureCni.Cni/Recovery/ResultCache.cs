using System.Text.Json;
using AzureCni.Cni.Types;
using AzureCni.Json;

namespace AzureCni.Cni.Recovery;

/// <summary>
/// One attachment as libcni's result cache keeps it: &lt;cache dir&gt;/results/&lt;network&gt;-&lt;container ID&gt;-&lt;ifname&gt;,
/// written by every runtime built on libcni (containerd, CRI-O, podman) after a successful ADD and removed by its DEL.
/// </summary>
public sealed record CachedAttachment
{
    public required string Network { get; init; }

    public required string ContainerId { get; init; }

    public required string IfName { get; init; }

    /// <summary>The "type" of the network config, or of each plugin of a conflist.</summary>
    public required IReadOnlyList<string> PluginTypes { get; init; }

    /// <summary>The "ipam.type" of each of them that has one.</summary>
    public required IReadOnlyList<string> IpamTypes { get; init; }

    /// <summary>The "mode" of the azure-vnet plugin in the config, when it has one.</summary>
    public string? Mode { get; init; }

    public required CniResult Result { get; init; }

    /// <summary>The sandbox's interface of the result (the one with a sandbox, else the one named CNI_IFNAME).</summary>
    public CniInterface? ContainerInterface =>
        Result.Interfaces.Find(i => !string.IsNullOrEmpty(i.Sandbox)) ?? Result.Interfaces.Find(i => i.Name == IfName);
}

/// <summary>Reads libcni's result cache (see <see cref="CachedAttachment"/>): only on the rebuild of a damaged state file.</summary>
public static class ResultCache
{
    /// <summary>libcni's marker of its cache format (CNICacheV1).</summary>
    public const string Kind = "cniCacheV1";

    private const int MaxEntryBytes = 1 << 20;

    /// <summary>
    /// Every readable entry under <paramref name="cacheDir"/>/results; an entry that cannot be read is skipped and
    /// counted in <paramref name="skipped"/> (a torn entry names no attachment anyone can trust).
    /// </summary>
    public static List<CachedAttachment> Read(string cacheDir, out int skipped)
    {
        skipped = 0;
        var entries = new List<CachedAttachment>();
        string results = Path.Combine(cacheDir, "results");
        if (!Directory.Exists(results))
            return entries;

        foreach (string file in Directory.EnumerateFiles(results))
        {
            try
            {
                var info = new FileInfo(file);
                if (info.Length > MaxEntryBytes)
                {
                    skipped++;
                    continue;
                }

                if (Parse(File.ReadAllBytes(file)) is { } entry)
                    entries.Add(entry);
                else
                    skipped++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped++;
            }
        }

        return entries;
    }

    /// <summary>One cache entry, or null when it is not one libcni wrote (another kind, a field missing, a bad result).</summary>
    public static CachedAttachment? Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var doc = CniJson.Parse<CachedInfoDoc>(bytes);
            if (doc.Kind != Kind || string.IsNullOrEmpty(doc.ContainerId) || string.IsNullOrEmpty(doc.IfName)
                || string.IsNullOrEmpty(doc.NetworkName) || doc.Result is null)
                return null;

            var types = new List<string>();
            var ipamTypes = new List<string>();
            string? mode = null;
            if (!string.IsNullOrEmpty(doc.Config))
            {
                var config = CniJson.Parse<CachedConfigDoc>(Convert.FromBase64String(doc.Config));
                foreach (var plugin in config.Plugins is { Count: > 0 } list ? list : [config])
                {
                    if (!string.IsNullOrEmpty(plugin.Type))
                        types.Add(plugin.Type);
                    if (!string.IsNullOrEmpty(plugin.Ipam?.Type))
                        ipamTypes.Add(plugin.Ipam.Type);
                    if (plugin.Type == "azure-vnet")
                        mode = plugin.Mode;
                }
            }

            var result = CniResultConverter.FromDocument(doc.Result, "1.0.0", "cached result");
            return new CachedAttachment
            {
                Network = doc.NetworkName, ContainerId = doc.ContainerId, IfName = doc.IfName, PluginTypes = types,
                IpamTypes = ipamTypes, Mode = mode, Result = result,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or CniException)
        {
            return null;
        }
    }
}

/// <summary>libcni's cachedInfo, as far as a rebuild reads it.</summary>
[CniJsonObject]
internal sealed partial class CachedInfoDoc
{
    public string? Kind { get; set; }

    public string? ContainerId { get; set; }

    /// <summary>The network config (a conflist or a single config) as bytes, base64 in JSON (Go's []byte).</summary>
    public string? Config { get; set; }

    public string? IfName { get; set; }

    public string? NetworkName { get; set; }

    public AnyResult? Result { get; set; }
}

/// <summary>A network config or one plugin of a conflist, as far as a rebuild reads it.</summary>
[CniJsonObject]
internal sealed partial class CachedConfigDoc
{
    public string? Type { get; set; }

    public string? Mode { get; set; }

    public CachedIpamDoc? Ipam { get; set; }

    public List<CachedConfigDoc>? Plugins { get; set; }
}

[CniJsonObject]
internal sealed partial class CachedIpamDoc
{
    public string? Type { get; set; }
}
