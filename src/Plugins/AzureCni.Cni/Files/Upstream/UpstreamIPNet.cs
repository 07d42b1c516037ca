using System.Net;
using System.Numerics;
using AzureCni.Json;

namespace AzureCni.Cni.Files.Upstream;

/// <summary>
/// Go's net.IPNet as upstream stores it: <c>{"IP":"10.240.0.0","Mask":"////AA=="}</c>, the mask base64 of its
/// 4 or 16 bytes; the zero value is <c>{"IP":"","Mask":null}</c>.
/// </summary>
[CniJsonObject]
public sealed partial class UpstreamIPNet
{
    [JsonName("IP")]
    public string IP { get; set; } = "";

    [JsonName("Mask")]
    public string? Mask { get; set; }

    /// <summary>The mask's prefix length (leading one bits); -1 when there is no mask.</summary>
    public int PrefixLength()
    {
        if (string.IsNullOrEmpty(Mask))
            return -1;

        int length = 0;
        foreach (byte b in Convert.FromBase64String(Mask))
            length += BitOperations.LeadingZeroCount((uint)(byte)~b) - 24;

        return length;
    }

    /// <summary>"10.240.0.5/16"; the address alone when there is no mask.</summary>
    public string ToCidr() => PrefixLength() is var length and >= 0 ? IP + "/" + length.ToString(System.Globalization.CultureInfo.InvariantCulture) : IP;

    public static UpstreamIPNet FromCidr(string cidr)
    {
        int slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(slash < 0 ? cidr : cidr[..slash]);
        int bytes = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 16 : 4;
        int length = slash < 0 ? bytes * 8 : int.Parse(cidr.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture);
        var mask = new byte[bytes];
        for (int i = 0; i < length; i++)
            mask[i / 8] |= (byte)(0x80 >> (i % 8));

        return new UpstreamIPNet { IP = address.ToString(), Mask = Convert.ToBase64String(mask) };
    }
}
