namespace AzureCni.Install.Tests;

/// <summary>A test that needs root (network namespaces, iptables); skipped, and reported as skipped, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(params string[] binaries)
    {
        if (!Repo.IsRoot)
        {
            Skip = "Needs root (CI runs as root).";
        }
        else if (binaries.FirstOrDefault(b => Repo.PublishedBinary(b) is null) is { } missing)
        {
            Skip = $"Needs the published {missing} in $AZURE_CNI_BIN_DIR (make test sets it).";
        }
    }
}

/// <summary>A test of the published binaries in $AZURE_CNI_BIN_DIR (make test sets it).</summary>
public sealed class BinaryFactAttribute : FactAttribute
{
    public BinaryFactAttribute(params string[] binaries)
    {
        if (binaries.FirstOrDefault(b => Repo.PublishedBinary(b) is null) is { } missing)
        {
            Skip = $"Needs the published {missing} in $AZURE_CNI_BIN_DIR (make test sets it).";
        }
    }
}
