using System.Text;
using AzureCni.Cni;

namespace AzureCni.Vnet.Linux;

/// <summary>Names of the host-side objects of an attachment.</summary>
internal static class HostNames
{
    public const string VethPrefix = "azv";

    /// <summary>
    /// "azv" + the first 11 hex characters of SHA-1 of network, container and interface (14 characters). Unique per
    /// attachment in both modes: a pod's new sandbox gets a new name, so its ADD never meets the previous sandbox's
    /// veth, which the kernel may still be tearing down with the old namespace.
    /// </summary>
    public static string HostVeth(CniRequest request) => HostVeth(request.Name, request.ContainerId, request.IfName);

    /// <summary>The host veth of the attachment (network, container, interface): see <see cref="HostVeth(CniRequest)"/>.</summary>
    public static string HostVeth(string network, string containerId, string ifName)
    {
        string key = network + containerId + ifName;
        Span<byte> hash = stackalloc byte[Sha1.HashSize];
        Sha1.HashData(Encoding.UTF8.GetBytes(key), hash);
        return VethPrefix + Convert.ToHexStringLower(hash)[..11];
    }

    /// <summary>azure&lt;ifindex of the master&gt;, upstream's default bridge name.</summary>
    public static string DefaultBridge(int masterIndex) => "azure" + masterIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
