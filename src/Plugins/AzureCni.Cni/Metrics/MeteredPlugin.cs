using System.Diagnostics;
using System.Text.Json;
using AzureCni.Cni.Logging;
using AzureCni.Cni.Types;

namespace AzureCni.Cni.Metrics;

/// <summary>
/// Wraps a plugin so each command, when a metrics directory is configured (<see cref="MetricsFile.DirectoryOf"/>),
/// is counted in its node-exporter textfile. Metrics never fail or change a call: a directory that is missing or
/// read-only costs one warning line in the plugin's log.
/// </summary>
/// <param name="version">The plugin's version, asked for only when metrics are on (it costs a reflection lookup).</param>
/// <param name="pools">The IPAM pools' counts after a call, read when metrics are on and the call's IPAM left none in <see cref="CniRequest.PoolGauges"/>.</param>
public sealed class MeteredPlugin(ICniPlugin inner, Func<string> version, Func<CniRequest, PoolGauge[]>? pools = null) : PluginDecorator(inner)
{
    protected override CniResult? Run(CniRequest request, Func<CniRequest, CniResult?> call)
    {
        string? directory = MetricsFile.DirectoryOf(request);
        if (directory is null)
            return call(request);

        long start = Stopwatch.GetTimestamp();
        int code = 0;
        try
        {
            return call(request);
        }
        catch (CniException e)
        {
            code = (int)e.Code;
            throw;
        }
        catch (JsonException)
        {
            code = (int)CniErrorCode.DecodingFailure;
            throw;
        }
        catch (Exception)
        {
            code = (int)CniErrorCode.Runtime;
            throw;
        }
        finally
        {
            Record(request, directory, code, Stopwatch.GetElapsedTime(start));
        }
    }

    private void Record(CniRequest request, string directory, int code, TimeSpan duration)
    {
        try
        {
            bool changesPools = request.Command is CniCommand.Add or CniCommand.Del or CniCommand.Gc;
            // The counts the call's IPAM left (no second read of its state), else read as `show` reads them.
            var gauges = !changesPools ? null : request.PoolGauges?.Invoke() ?? pools?.Invoke(request);
            new MetricsFile(directory, Inner.Name).Record(CniVersion.CommandName(request.Command), code, duration, version(), gauges);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CniException or JsonException or FormatException)
        {
            try
            {
                using var logger = CniLog.Create(Inner.Name, request.Environment, debug: false);
                ((Serilog.ILogger)logger).Warning("metrics: cannot update {Directory}: {Message} (the call itself is unaffected)", [directory, e.Message]);
            }
            catch (Exception logError) when (logError is IOException or UnauthorizedAccessException)
            {
                // No log either: the call still must not fail.
            }
        }
    }
}
