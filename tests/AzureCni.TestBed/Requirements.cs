namespace AzureCni.TestBed;

/// <summary>
/// What a test needs from the machine: root, and the plugins `make test` publishes into $AZURE_CNI_BIN_DIR.
/// Kept apart from <see cref="Repository"/> (whose statics look for the checkout) so unit test projects can use
/// it without touching anything else of the bed: it only reads the process's privilege and one variable.
/// </summary>
public static class Requirements
{
    /// <summary>Effective uid 0: namespaces, links, iptables and nftables need it.</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>$AZURE_CNI_BIN_DIR (make test sets it to output/bin), or null when unset.</summary>
    public static string? BinDir => Environment.GetEnvironmentVariable("AZURE_CNI_BIN_DIR") is { Length: > 0 } dir ? dir : null;

    /// <summary>The published plugin <paramref name="name"/> in <see cref="BinDir"/>, or null when it is not there.</summary>
    public static string? PublishedBinary(string name) =>
        BinDir is { } dir && File.Exists(Path.Combine(dir, name)) ? Path.Combine(dir, name) : null;

    /// <summary>Why a test needing root (when <paramref name="root"/>) and <paramref name="binaries"/> cannot run here, or null when it can.</summary>
    public static string? Missing(bool root, IReadOnlyList<string> binaries)
    {
        if (root && !IsRoot)
            return "Needs root, and this process is not privileged (CI runs as root).";
        foreach (string binary in binaries)
        {
            if (BinDir is not { } dir)
                return $"Needs the published {binary}, and $AZURE_CNI_BIN_DIR is not set (make test sets it to output/bin).";
            if (PublishedBinary(binary) is null)
                return $"Needs the published {binary}, and it is not in $AZURE_CNI_BIN_DIR ({dir}; make test publishes it there).";
        }
        return null;
    }
}

/// <summary>A fact that needs root and, when named, published plugins; skipped, visibly, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(params string[] binaries)
    {
        Skip = Requirements.Missing(root: true, binaries);
    }
}

/// <summary>A theory that needs root and, when named, published plugins; skipped, visibly, otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute(params string[] binaries)
    {
        Skip = Requirements.Missing(root: true, binaries);
    }
}

/// <summary>A fact that runs published plugins (no root needed); skipped, visibly, when one is missing.</summary>
public sealed class BinaryFactAttribute : FactAttribute
{
    public BinaryFactAttribute(params string[] binaries)
    {
        Skip = Requirements.Missing(root: false, binaries);
    }
}

/// <summary>A theory that runs published plugins (no root needed); skipped, visibly, when one is missing.</summary>
public sealed class BinaryTheoryAttribute : TheoryAttribute
{
    public BinaryTheoryAttribute(params string[] binaries)
    {
        Skip = Requirements.Missing(root: false, binaries);
    }
}

/// <summary>An end-to-end fact: root (the simulated Azure namespaces) and both published plugins.</summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute()
    {
        Skip = Requirements.Missing(root: true, EndToEnd.Plugins);
    }
}

/// <summary>An end-to-end theory: root (the simulated Azure namespaces) and both published plugins.</summary>
public sealed class EndToEndTheoryAttribute : TheoryAttribute
{
    public EndToEndTheoryAttribute()
    {
        Skip = Requirements.Missing(root: true, EndToEnd.Plugins);
    }
}

internal static class EndToEnd
{
    public static readonly string[] Plugins = ["azure-vnet", "azure-vnet-ipam"];
}
