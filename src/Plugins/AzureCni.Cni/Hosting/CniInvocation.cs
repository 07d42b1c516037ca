using System.Reflection;

namespace AzureCni.Cni.Hosting;

/// <summary>What a plugin process is started with, apart from its standard streams: injected by tests, read from the process in production.</summary>
public sealed class CniInvocation
{
    /// <summary>The environment (CNI_COMMAND, CNI_CONTAINERID, ...). Delegated plugins get all of it.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Command-line arguments (only --version / -v mean anything).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    private string? _productVersion;
    private string? _about;
    // Looking up the entry assembly costs ~0.2 M instructions of reflection start-up: done only when
    // the version is printed (--version, the about line), never on a CNI command.
    private bool _versionFromEntryAssembly;
    private string? _pluginName;

    /// <summary>The product version printed by --version, e.g. "1.2.3" (read from the entry assembly only when needed).</summary>
    public string ProductVersion
    {
        get => _productVersion ??= _versionFromEntryAssembly ? ProductVersionOf(Assembly.GetEntryAssembly()) : ProductVersionOf(null);
        init => _productVersion = value;
    }

    /// <summary>
    /// The "about" line printed to stderr, with the supported versions, when CNI_COMMAND is not set at all (as
    /// skel does for someone running the binary by hand). Null: an unset CNI_COMMAND is error code 4 instead.
    /// </summary>
    public string? About
    {
        get => _about ?? (_pluginName is null ? null : $"Azure CNI {_pluginName} plugin v{ProductVersion}");
        init => _about = value;
    }

    /// <summary>The invocation of the current process: its environment, arguments and entry assembly's version.</summary>
    public static CniInvocation FromProcess(string[] args, string pluginName)
    {
        return new CniInvocation
        {
            Environment = new ProcessEnvironment(),
            Arguments = args,
            _versionFromEntryAssembly = true,
            _pluginName = pluginName,
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
