using System.Diagnostics;
using System.Text;
using AzureCni.Cni.Types;
using Serilog;

namespace AzureCni.Cni.Logging;

/// <summary>
/// Wraps a plugin so each command leaves one line in its log file: command, container, interface, outcome
/// (ok, or the CNI error code and message) and duration; at logLevel debug also the config and the result.
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
        string command = CniVersion.CommandName(request.Command);
        if (log.IsEnabled(Serilog.Events.LogEventLevel.Debug))
        {
            log.Debug("{Command} container={ContainerId} ifname={IfName} netns={Netns} config={Config}",
                command, request.ContainerId, request.IfName, request.Netns, Encoding.UTF8.GetString(request.StdinData.Span));
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            T value = call(request);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (value is CniResult result)
            {
                log.Information("{Command} container={ContainerId} ifname={IfName} outcome=ok ips={Ips} duration_ms={DurationMs:0.000}",
                    command, request.ContainerId, request.IfName, string.Join(",", result.Ips.Select(ip => ip.Address.ToString())), ms);
            }
            else
            {
                log.Information("{Command} container={ContainerId} ifname={IfName} outcome=ok duration_ms={DurationMs:0.000}",
                    command, request.ContainerId, request.IfName, ms);
            }

            return value;
        }
        catch (CniException e)
        {
            log.Error("{Command} container={ContainerId} ifname={IfName} outcome=error code={Code} msg={Message} details={Details} duration_ms={DurationMs:0.000}",
                command, request.ContainerId, request.IfName, (int)e.Code, e.Message, e.Details ?? "", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            throw;
        }
        catch (Exception e)
        {
            log.Error("{Command} container={ContainerId} ifname={IfName} outcome=error code={Code} msg={Message} details={Details} duration_ms={DurationMs:0.000}",
                command, request.ContainerId, request.IfName, (int)CniErrorCode.Runtime, e.GetType().Name + ": " + e.Message, e.StackTrace ?? "", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            throw;
        }
    }
}
