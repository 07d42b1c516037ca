using System.Runtime.InteropServices;

namespace AzureCni.Netlink.IntegrationTests;

/// <summary>A fact that needs root (to create network namespaces); skipped, visibly, otherwise.</summary>
public sealed partial class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot)
            Skip = "Needs root to create network namespaces (CI runs as root).";
    }

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEuid() == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
