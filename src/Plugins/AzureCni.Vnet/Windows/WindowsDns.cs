using AzureCni.Cni;
using AzureCni.Cni.Types;

namespace AzureCni.Vnet.Windows;

/// <summary>The DNS an endpoint gets: servers, search suffixes (the first is the pod's own) and options.</summary>
public sealed record WindowsDns(IReadOnlyList<string> Servers, IReadOnlyList<string> Search, IReadOnlyList<string> Options)
{
    public static WindowsDns None { get; } = new([], [], []);

    public bool IsEmpty => Servers.Count == 0 && Search.Count == 0 && Options.Count == 0;

    /// <summary>
    /// runtimeConfig.dns when the runtime gave servers (its searches are already complete); else the config's
    /// dns, whose suffix is "&lt;pod namespace&gt;." + the search list joined by commas, as upstream builds it.
    /// </summary>
    public static WindowsDns Resolve(WindowsNetworkConfig config, string? podNamespace)
    {
        RuntimeDns? runtime = config.RuntimeConfig?.Dns;
        if (runtime?.Servers is { Count: > 0 } runtimeServers)
            return new WindowsDns([.. runtimeServers], [.. runtime.Searches ?? []], [.. runtime.Options ?? []]);

        DnsDoc? dns = config.Dns;
        List<string> servers = dns?.Nameservers ?? [];
        List<string> search = dns?.Search ?? [];
        if ((servers.Count == 0) != (search.Count == 0))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "dns: Nameservers and Search must be given together.",
                $"{servers.Count} nameservers, {search.Count} search suffixes");
        }
        if (servers.Count == 0)
            return dns?.Options is { Count: > 0 } options ? new WindowsDns([], [], [.. options]) : None;

        string joined = string.Join(',', search);
        string suffix = string.IsNullOrEmpty(podNamespace) ? joined : podNamespace + "." + joined;
        return new WindowsDns([.. servers], suffix.Split(','), [.. dns!.Options ?? []]);
    }
}
