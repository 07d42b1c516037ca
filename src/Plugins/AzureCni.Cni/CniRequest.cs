using System.Buffers;
using AzureCni.Cni.Types;

namespace AzureCni.Cni;

/// <summary>One plugin invocation, validated by the host (CniHost) before the plugin sees it.</summary>
public sealed class CniRequest
{
    public required CniCommand Command { get; init; }
    public string ContainerId { get; init; } = "";
    public string Netns { get; init; } = "";
    public string IfName { get; init; } = "";
    public string CniPath { get; init; } = "";

    /// <summary>The network config exactly as read from stdin.</summary>
    public ReadOnlyMemory<byte> StdinData { get; init; }

    /// <summary>The config's cniVersion as given ("" when absent; <see cref="Version"/> then reads it as 0.2.0).</summary>
    public string CniVersion => Config.CniVersion ?? "";

    /// <summary>The config's name: the network.</summary>
    public string Name => Config.Name ?? "";

    public string Type => Config.Type ?? "";

    /// <summary>The spec version results are printed in.</summary>
    public SpecVersion Version { get; init; } = SpecVersion.V1_1_0;

    /// <summary>K8S_POD_NAMESPACE from CNI_ARGS, if present.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>K8S_POD_NAME from CNI_ARGS, if present.</summary>
    public string? PodName { get; init; }

    /// <summary>Every CNI_ARGS pair.</summary>
    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary>The protocol-level fields of the config (ipam.type, runtimeConfig, prevResult, ...).</summary>
    public NetConf Config { get; init; } = new();

    /// <summary>
    /// GC: the attachments still in use, cni.dev/valid-attachments and the legacy cni.dev/attachments merged (each
    /// pair once) by the host; every plugin reads this list, never the two fields.
    /// </summary>
    public IReadOnlyList<GcAttachment> ValidAttachments { get; init; } = [];

    /// <summary>GC: the config carries a valid-attachments list (an empty one included); without one GC must refuse.</summary>
    public bool HasValidAttachments => Config.ValidAttachments is not null || Config.LegacyAttachments is not null;

    /// <summary>
    /// The IPAM pools' counts as the call left them, set by an IPAM that held its state (read when metrics are on);
    /// null when none did.
    /// </summary>
    public Func<Metrics.PoolGauge[]>? PoolGauges { get; set; }

    /// <summary>The whole environment of the invocation, passed on unchanged to delegated plugins.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The plugin's stderr (free-form logs; never stdout, which carries only the result or error).</summary>
    public IBufferWriter<byte>? Stderr { get; init; }

    private CniResult? _prevResult;

    /// <summary>
    /// prevResult in the version-independent model, or null when the config has none. A prevResult without
    /// cniVersion is read as the config's version, as libcni does. Throws code 6 when it does not decode.
    /// </summary>
    public CniResult? PrevResult =>
        _prevResult ??= Config.PrevResult is { } doc ? CniResultConverter.FromDocument(doc, Version.ToVersionString(), "prevResult") : null;

    /// <summary>True when the GC valid-attachments list names this container and interface.</summary>
    public bool IsValidAttachment(string containerId, string ifName)
    {
        foreach (var attachment in ValidAttachments)
        {
            if (attachment.ContainerId == containerId && attachment.IfName == ifName)
            {
                return true;
            }
        }

        return false;
    }
}

public enum CniCommand
{
    Add,
    Del,
    Check,
    Gc,
    Status,
    Version,
}
