using System.Text;
using AzureCni.Cni;

namespace AzureCni.Vnet.Linux;

/// <summary>Names of the host-side objects of an attachment.</summary>
internal static class HostNames
{
    public const string VethPrefix = "azv";

    /// <summary>
    /// "azv" + the first 11 hex characters of SHA-1 of the key (14 characters, as upstream). Transparent mode keys by
    /// pod ("&lt;namespace&gt;.&lt;name&gt;"); bridge mode, and pods without Kubernetes args, by network, container and interface.
    /// </summary>
    public static string HostVeth(Config.VnetMode mode, CniRequest request)
    {
        string key = mode == Config.VnetMode.Transparent && !string.IsNullOrEmpty(request.PodNamespace) && !string.IsNullOrEmpty(request.PodName)
            ? request.PodNamespace + "." + request.PodName
            : request.Name + request.ContainerId + request.IfName;
        Span<byte> hash = stackalloc byte[Sha1.HashSize];
        Sha1.HashData(Encoding.UTF8.GetBytes(key), hash);
        return VethPrefix + Convert.ToHexStringLower(hash)[..11];
    }

    /// <summary>azure&lt;ifindex of the master&gt;, upstream's default bridge name.</summary>
    public static string DefaultBridge(int masterIndex) => "azure" + masterIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
