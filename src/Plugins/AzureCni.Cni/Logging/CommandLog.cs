using System.Diagnostics;
using System.Text;
using AzureCni.Cni.Types;
using Serilog;

namespace AzureCni.Cni.Logging;

/// <summary>
/// The one line every command of either plugin leaves in its log:
/// <c>ADD container=ID ifname=IF network=NAME outcome=ok ips=A/N duration_ms=1.234</c>, or
/// <c>outcome=error code=N msg=... details=...</c>; at logLevel debug the config comes first.
/// </summary>
public static class CommandLog
{
    public static T Run<T>(ILogger log, CniRequest request, Func<T> call)
    {
        string command = CniVersion.CommandName(request.Command);
        if (log.IsEnabled(Serilog.Events.LogEventLevel.Debug))
        {
            log.Debug("{Command} container={ContainerId} ifname={IfName} network={Network} netns={Netns} config={Config}",
                command, request.ContainerId, request.IfName, request.Name, request.Netns, Encoding.UTF8.GetString(request.StdinData.Span));
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            T value = call();
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (value is CniResult result)
            {
                log.Information("{Command} container={ContainerId} ifname={IfName} network={Network} outcome=ok ips={Ips} duration_ms={DurationMs:0.000}",
                    command, request.ContainerId, request.IfName, request.Name, IpsText(result), ms);
            }
            else
            {
                log.Information("{Command} container={ContainerId} ifname={IfName} network={Network} outcome=ok duration_ms={DurationMs:0.000}",
                    command, request.ContainerId, request.IfName, request.Name, ms);
            }

            return value;
        }
        catch (Exception e)
        {
            (int code, string message, string details) = e is CniException cni
                ? ((int)cni.Code, cni.Message, cni.Details ?? "")
                : ((int)CniErrorCode.Runtime, e.GetType().Name + ": " + e.Message, "");
            log.Debug(e, "{Command} failed", [command]);
            log.Error("{Command} container={ContainerId} ifname={IfName} network={Network} outcome=error code={Code} msg={Message} details={Details} duration_ms={DurationMs:0.000}",
                command, request.ContainerId, request.IfName, request.Name, code, message, details, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            throw;
        }
    }

    // A loop, not JoinedText with a lambda: a lambda inside the generic Run<T> gets a static cache per T,
    // which NativeAOT allocates before Main of every call.
    private static string IpsText(CniResult result)
    {
        var text = new StringBuilder();
        bool first = true;
        foreach (CniIPConfig ip in result.Ips)
        {
            if (!first)
                text.Append(',');
            text.Append(ip.Address.ToString());
            first = false;
        }

        return text.ToString();
    }
}
