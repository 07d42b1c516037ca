using System.Text.RegularExpressions;

namespace AzureCni.Netlink.Tests;

/// <summary>Golden bytes written as hex with spaces, newlines and <c>#</c> comments for readability.</summary>
internal static partial class Hex
{
    public static byte[] Parse(string text) =>
        Convert.FromHexString(Whitespace().Replace(Comments().Replace(text, ""), ""));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex("#[^\n]*")]
    private static partial Regex Comments();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>Encodes with a request encoder into a buffer pre-filled with garbage, so unwritten padding would show.</summary>
internal static class Encode
{
    public delegate void Encoder(ref AzureCni.Netlink.Protocol.NetlinkWriter writer);

    public static byte[] With(Encoder encoder)
    {
        Span<byte> buffer = stackalloc byte[16 * 1024];
        buffer.Fill(0xCD);
        var writer = new AzureCni.Netlink.Protocol.NetlinkWriter(buffer);
        encoder(ref writer);
        return writer.WrittenSpan.ToArray();
    }
}
