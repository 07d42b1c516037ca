namespace AzureCni.Windows.Tests;

/// <summary>
/// One Windows build and one Wine prefix for the test class (the publish and the first wineboot are the slow parts).
/// No wine64 fails every test, loudly: it is a dependency of `make test` like every other (install-deps installs it).
/// </summary>
public sealed class WineFixture : IDisposable
{
    private readonly WinePrefix _prefix;

    public WineFixture()
    {
        string wine = WinePrefix.FindWine()
            ?? throw new InvalidOperationException("wine64 is not installed: the Windows build's tests need it (scripts/deps/debian-packages lists it; `make deps`, as root, installs it)");

        // The publish and the boot of the prefix run side by side.
        Task<string> publish = Task.Run(WindowsBuild.Publish);
        _prefix = new WinePrefix(wine);
        try
        {
            _prefix.Install(publish.GetAwaiter().GetResult());
        }
        catch
        {
            _prefix.Dispose();
            throw;
        }
    }

    internal WinePrefix Prefix => _prefix;

    public void Dispose() => _prefix.Dispose();
}
