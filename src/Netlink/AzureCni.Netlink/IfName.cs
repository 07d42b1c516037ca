using System.Text;

namespace AzureCni.Netlink;

/// <summary>Interface-name rules of the kernel's dev_valid_name(), checked before a request is sent.</summary>
internal static class IfName
{
    // #define IFNAMSIZ 16 (linux/if.h), NUL included.
    public const int MaxLength = 15;

    /// <summary>Throws unless the kernel would accept <paramref name="name"/>.</summary>
    public static void Validate(string name)
    {
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > MaxLength || name is "." or ".."
            || name.AsSpan().IndexOfAny('/', ':') >= 0 || name.AsSpan().ContainsAny(" \t\n\r\f\v"))
        {
            throw new ArgumentException($"'{name}' is not a valid interface name (1-{MaxLength} bytes, no '/', ':' or whitespace).", nameof(name));
        }
    }

    /// <summary>Validates and encodes a name as UTF-8 (without NUL) into <paramref name="destination"/>.</summary>
    public static ReadOnlySpan<byte> Encode(string name, Span<byte> destination)
    {
        Validate(name);
        int length = Encoding.UTF8.GetBytes(name, destination);
        return destination[..length];
    }
}
