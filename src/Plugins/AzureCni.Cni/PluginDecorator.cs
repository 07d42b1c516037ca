using AzureCni.Cni.Types;

namespace AzureCni.Cni;

/// <summary>
/// A plugin that wraps another and runs each of its commands through one hook (the log line, the metrics file).
/// The hook is not generic: a generic virtual method costs a NativeAOT process a runtime lookup on every call.
/// </summary>
public abstract class PluginDecorator(ICniPlugin inner) : ICniPlugin
{
    protected ICniPlugin Inner => inner;

    public string Name => inner.Name;

    public bool ConfiguresNetns => inner.ConfiguresNetns;

    public CniResult Add(CniRequest request) => Run(request, inner.Add)!;

    public void Delete(CniRequest request) => Run(request, r => { inner.Delete(r); return null; });

    public void Check(CniRequest request) => Run(request, r => { inner.Check(r); return null; });

    public void GarbageCollect(CniRequest request) => Run(request, r => { inner.GarbageCollect(r); return null; });

    public void Status(CniRequest request) => Run(request, r => { inner.Status(r); return null; });

    /// <summary>Runs one command of the wrapped plugin; <paramref name="call"/> returns the result of ADD, null otherwise.</summary>
    protected abstract CniResult? Run(CniRequest request, Func<CniRequest, CniResult?> call);
}
