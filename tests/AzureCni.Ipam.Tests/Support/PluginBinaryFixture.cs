namespace AzureCni.Ipam.Tests.Support;

/// <summary>
/// The NativeAOT azure-vnet-ipam, published once per test run into a temp dir (or taken from
/// $AZURE_VNET_IPAM_BIN, or from $AZURE_CNI_BIN_DIR as `make test` sets it). The libcni client the tests run it
/// through is the test bed's <see cref="Repository.LibcniClient"/>.
/// </summary>
public sealed class PluginBinaryFixture : IDisposable
{
    private readonly string? _publishDir;

    public PluginBinaryFixture()
    {
        string? prebuilt = Environment.GetEnvironmentVariable("AZURE_VNET_IPAM_BIN");
        if (string.IsNullOrEmpty(prebuilt) && Requirements.BinDir is { } binDir)
        {
            // `make test` has already published both plugins there.
            prebuilt = Path.Combine(binDir, "azure-vnet-ipam");
        }

        if (!string.IsNullOrEmpty(prebuilt))
            PluginPath = prebuilt;
        else
        {
            _publishDir = Path.Combine(Path.GetTempPath(), "azcni-ipam-bin-" + Guid.NewGuid().ToString("N")[..8]);
            string project = Path.Combine(Repository.Root, "src/Plugins/azure-vnet-ipam/azure-vnet-ipam.csproj");
            Shell.Check(["dotnet", "publish", project, "-c", "Release", "-o", _publishDir, "-nologo", "-v", "q"], timeout: TimeSpan.FromMinutes(10));

            PluginPath = Path.Combine(_publishDir, "azure-vnet-ipam");
        }

        if (!File.Exists(PluginPath))
            throw new InvalidOperationException($"{PluginPath} does not exist");

        PluginDir = Path.GetDirectoryName(PluginPath)!;
    }

    public string PluginPath { get; }

    /// <summary>Holds azure-vnet-ipam; CNI_PATH for direct runs, with /usr/lib/cni after it for chains.</summary>
    public string PluginDir { get; }

    public void Dispose()
    {
        if (_publishDir is not null)
        {
            try
            {
                Directory.Delete(_publishDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PluginBinaryCollection : ICollectionFixture<PluginBinaryFixture>
{
    public const string Name = "azure-vnet-ipam binary";
}
