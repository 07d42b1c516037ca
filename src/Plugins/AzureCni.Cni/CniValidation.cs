namespace AzureCni.Cni;

/// <summary>The name rules libcni applies to container IDs, interface names and network names.</summary>
public static class CniValidation
{
    /// <summary>IFNAMSIZ - 1: the kernel's limit on an interface name.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>Container ID: ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$; empty is code 3, anything else invalid code 4.</summary>
    public static void ValidateContainerId(string containerId)
    {
        if (containerId.Length == 0)
            throw new CniException(CniErrorCode.UnknownContainer, "missing containerID (CNI_CONTAINERID)");

        RequireIdentifier(containerId, CniErrorCode.InvalidEnvironmentVariables, "invalid characters in containerID (CNI_CONTAINERID)");
    }

    /// <summary>Interface name: non-empty, at most 15 bytes, not "." or "..", no '/', ':' or whitespace (code 4).</summary>
    public static void ValidateInterfaceName(string ifName)
    {
        if (ifName.Length == 0)
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, "interface name (CNI_IFNAME) is empty");

        if (System.Text.Encoding.UTF8.GetByteCount(ifName) > MaxInterfaceNameLength)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                "interface name (CNI_IFNAME) is too long",
                $"\"{ifName}\": interface name should be less than {MaxInterfaceNameLength + 1} characters");
        }

        if (ifName is "." or "..")
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, "interface name (CNI_IFNAME) is . or ..");

        foreach (char c in ifName)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                throw new CniException(
                    CniErrorCode.InvalidEnvironmentVariables,
                    "interface name (CNI_IFNAME) contains / or : or whitespace characters",
                    $"\"{ifName}\"");
            }
        }
    }

    /// <summary>Network name: non-empty and ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$ (code 7).</summary>
    public static void ValidateNetworkName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "missing network name (\"name\" in the network config)");

        RequireIdentifier(name, CniErrorCode.InvalidNetworkConfig, "invalid characters found in network name");
    }

    // libcni's one pattern for container IDs and network names.
    private static void RequireIdentifier(string value, CniErrorCode code, string message)
    {
        if (!IsIdentifier(value))
            throw new CniException(code, message, $"\"{value}\" must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
    }

    private static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !char.IsAsciiLetterOrDigit(s[0]))
            return false;

        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
                return false;
        }

        return true;
    }
}
