namespace AzureCni.Cni.Tests;

/// <summary>
/// A test of a published plugin binary in $AZURE_CNI_BIN_DIR (make test sets it); skipped, and reported as
/// skipped, when the directory or the binary is not there.
/// </summary>
public sealed class BinaryFactAttribute : FactAttribute
{
    public BinaryFactAttribute(string binary)
    {
        if (PublishedPlugin.PathOf(binary) is null)
        {
            Skip = $"Needs the published {binary} in $AZURE_CNI_BIN_DIR (make test sets it).";
        }
    }
}

public sealed class BinaryTheoryAttribute : TheoryAttribute
{
    public BinaryTheoryAttribute(string binary)
    {
        if (PublishedPlugin.PathOf(binary) is null)
        {
            Skip = $"Needs the published {binary} in $AZURE_CNI_BIN_DIR (make test sets it).";
        }
    }
}
