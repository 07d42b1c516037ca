using System.Collections;
using System.Reflection;

namespace AzureCni.Cni.Hosting;

/// <summary>What a plugin process is started with, apart from its standard streams: injected by tests, read from the process in production.</summary>
public sealed class CniInvocation
{
    /// <summary>The environment (CNI_COMMAND, CNI_CONTAINERID, ...). Delegated plugins get all of it.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Command-line arguments (only --version / -v mean anything).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The product version printed by --version, e.g. "1.2.3".</summary>
    public string ProductVersion { get; init; } = "0.0.0";

    /// <summary>
    /// The "about" line printed to stderr, with the supported versions, when CNI_COMMAND is not set at all (as
    /// skel does for someone running the binary by hand). Null: an unset CNI_COMMAND is error code 4 instead.
    /// </summary>
    public string? About { get; init; }

    /// <summary>The invocation of the current process: its environment, arguments and entry assembly's version.</summary>
    public static CniInvocation FromProcess(string[] args, string pluginName)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        string version = ProductVersionOf(Assembly.GetEntryAssembly());
        return new CniInvocation
        {
            Environment = environment,
            Arguments = args,
            ProductVersion = version,
            About = $"Azure CNI {pluginName} plugin v{version}",
        };
    }

    /// <summary>The informational version without the "+commit" suffix the SDK appends.</summary>
    public static string ProductVersionOf(Assembly? assembly)
    {
        string? version = assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(version))
        {
            return "0.0.0";
        }

        int plus = version.IndexOf('+');
        return plus >= 0 ? version[..plus] : version;
    }
}
