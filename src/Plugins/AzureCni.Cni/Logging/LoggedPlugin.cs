using AzureCni.Cni.Types;
using Serilog;

namespace AzureCni.Cni.Logging;

/// <summary>
/// Wraps a plugin so each command leaves its <see cref="CommandLog"/> line in the plugin's log file.
/// </summary>
public sealed class LoggedPlugin(ICniPlugin inner) : ICniPlugin
{
    public string Name => inner.Name;

    public bool ConfiguresNetns => inner.ConfiguresNetns;

    public CniResult Add(CniRequest request) => Run(request, inner.Add);

    public void Delete(CniRequest request) => Run<object?>(request, r => { inner.Delete(r); return null; });

    public void Check(CniRequest request) => Run<object?>(request, r => { inner.Check(r); return null; });

    public void GarbageCollect(CniRequest request) => Run<object?>(request, r => { inner.GarbageCollect(r); return null; });

    public void Status(CniRequest request) => Run<object?>(request, r => { inner.Status(r); return null; });

    private T Run<T>(CniRequest request, Func<CniRequest, T> call)
    {
        using var log = CniLog.Create(inner.Name, request.Environment, CniLog.IsDebug(request.Config));
        return CommandLog.Run(log, request, () => call(request));
    }
}
