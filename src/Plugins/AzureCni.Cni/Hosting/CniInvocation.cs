namespace AzureCni.Cni.Hosting;

/// <summary>What a plugin process is started with, apart from its standard streams: injected by tests, read from the process in production.</summary>
public sealed class CniInvocation
{
    /// <summary>The environment (CNI_COMMAND, CNI_CONTAINERID, ...). Delegated plugins get all of it.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Command-line arguments (only --version / -v mean anything).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    private string? _about;
    private string? _pluginName;

    /// <summary>The product version printed by --version, e.g. "1.2.3"; "0.0.0" when the process was not given one.</summary>
    public string ProductVersion { get; init; } = "0.0.0";

    /// <summary>
    /// The "about" line printed to stderr, with the supported versions, when CNI_COMMAND is not set at all (as
    /// skel does for someone running the binary by hand). Null: an unset CNI_COMMAND is error code 4 instead.
    /// </summary>
    public string? About
    {
        get => _about ?? (_pluginName is null ? null : $"Azure CNI {_pluginName} plugin v{ProductVersion}");
        init => _about = value;
    }

    /// <summary>
    /// The invocation of the current process: its environment and arguments, and the version the plugin was built
    /// with (a constant of the build: reading the assembly's version attribute would keep NativeAOT's reflection
    /// stack, and its ~100 types with static fields allocated before Main, in every plugin).
    /// </summary>
    public static CniInvocation FromProcess(string[] args, string pluginName, string productVersion = "0.0.0")
    {
        return new CniInvocation
        {
            Environment = new ProcessEnvironment(),
            Arguments = args,
            ProductVersion = productVersion,
            _pluginName = pluginName,
        };
    }
}
