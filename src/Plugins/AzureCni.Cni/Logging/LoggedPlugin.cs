using AzureCni.Cni.Types;
using Serilog;

namespace AzureCni.Cni.Logging;

/// <summary>
/// Wraps a plugin so each command leaves its <see cref="CommandLog"/> line in the plugin's log file.
/// </summary>
public sealed class LoggedPlugin(ICniPlugin inner) : PluginDecorator(inner)
{
    protected override CniResult? Run(CniRequest request, Func<CniRequest, CniResult?> call)
    {
        using var log = CniLog.Create(Inner.Name, request.Environment, CniLog.IsDebug(request.Config));
        return CommandLog.Run(log, request, () => call(request));
    }
}
