namespace AzureCni.Ipam.Tests.Support;

/// <summary>A fact that needs root (network namespaces); skipped, and reported as skipped, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" && !string.Equals(File.ReadAllText("/proc/self/status").Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1), "0", StringComparison.Ordinal))
        {
            Skip = "needs root to create network namespaces";
        }
    }
}
