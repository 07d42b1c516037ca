using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Vnet.DataPath;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Windows;

/// <summary>The Windows data path: one HNS endpoint per attachment, through <see cref="WindowsNetworkDriver"/>.</summary>
internal sealed class WindowsDataPath(WindowsNetworkDriver driver, CniRequest request) : IVnetDataPath
{
    private readonly WindowsNetworkConfig _config = WindowsNetworkConfig.Parse(request.StdinData.Span);

    public static WindowsDataPath ForHost(CniRequest request)
    {
        if (!OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The HNS data path runs on Windows only.");
        return new WindowsDataPath(WindowsNetworkDriver.ForHost(EndpointStore.From(request.Environment)), request);
    }

    /// <summary>The driver records the attachment itself, before its first HNS call.</summary>
    public void Claim()
    {
    }

    public CniResult Attach(CniResult ipamResult, UndoStack undo) => driver.Add(_config, request, ipamResult);

    public void Detach() => driver.Delete(_config, request);

    /// <summary><see cref="Detach"/> already dropped the record.</summary>
    public void Forget()
    {
    }

    public void Check() => driver.Check(_config, request);

    public void GarbageCollect() => driver.GarbageCollect(_config, request);

    /// <summary>
    /// HNS must answer (code 50 without it, as ADD would); it keeps no node setup of ours that a killed call could
    /// leave half-done, and Windows does not rebuild a damaged state file (an unreadable one fails with code 5).
    /// </summary>
    public string? Status()
    {
        driver.Status(_config);
        return null;
    }

    public void Dispose()
    {
    }
}
