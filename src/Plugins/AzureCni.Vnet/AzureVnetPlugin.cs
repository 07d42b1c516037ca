using System.Diagnostics;
using AzureCni.Cni;
using AzureCni.Cni.Delegation;
using AzureCni.Cni.Types;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.State;
using AzureCni.Cni.Logging;
using AzureCni.Vnet.Windows;
using Serilog;

namespace AzureCni.Vnet;

/// <summary>
/// azure-vnet, the network plugin: on Linux the transparent and bridge data paths (<see cref="LinuxVnet"/>), on
/// Windows the HNS driver. Every command is logged as one line with its outcome and duration.
/// </summary>
public sealed class AzureVnetPlugin : ICniPlugin
{
    public string Name => "azure-vnet";

    public bool ConfiguresNetns => OperatingSystem.IsLinux();

    public CniResult Add(CniRequest request) => Run(request, (config, log) =>
    {
        if (OperatingSystem.IsWindows())
        {
            var driver = WindowsNetworkDriver.ForHost(EndpointStore.From(request.Environment));
            var windows = WindowsNetworkConfig.Parse(request.StdinData.Span);
            return CniDelegate.AddThen(config.IpamType, request, ipam => driver.Add(windows, request, ipam));
        }

        return new LinuxVnet(config, request, log).Add();
    });

    public void Delete(CniRequest request) => Run(request, (config, log) =>
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsNetworkDriver.ForHost(EndpointStore.From(request.Environment)).Delete(WindowsNetworkConfig.Parse(request.StdinData.Span), request);
            CniDelegate.Delete(config.IpamType, request);
            return true;
        }

        new LinuxVnet(config, request, log).Delete();
        return true;
    });

    public void Check(CniRequest request) => Run(request, (config, log) =>
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsNetworkDriver.ForHost(EndpointStore.From(request.Environment)).Check(WindowsNetworkConfig.Parse(request.StdinData.Span), request);
            CniDelegate.Check(config.IpamType, request);
            return true;
        }

        new LinuxVnet(config, request, log).Check();
        return true;
    });

    public void GarbageCollect(CniRequest request) => Run(request, (config, log) =>
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsNetworkDriver.ForHost(EndpointStore.From(request.Environment)).GarbageCollect(WindowsNetworkConfig.Parse(request.StdinData.Span), request);
            CniDelegate.GarbageCollect(config.IpamType, request);
            return true;
        }

        new LinuxVnet(config, request, log).GarbageCollect();
        return true;
    });

    public void Status(CniRequest request) => Run(request, (config, log) =>
    {
        if (OperatingSystem.IsWindows())
        {
            CniDelegate.Status(config.IpamType, request);
            return true;
        }

        new LinuxVnet(config, request, log).Status();
        return true;
    });

    private static T Run<T>(CniRequest request, Func<VnetConfig, ILogger, T> command)
    {
        long start = Stopwatch.GetTimestamp();
        var config = VnetConfig.From(request);
        using var logger = TryCreateLogger(request, config.Debug);
        ILogger log = logger ?? (ILogger)Serilog.Core.Logger.None;
        try
        {
            T result = command(config, log);
            log.Information("{Command} container={Container} ifname={IfName} network={Network}: ok in {Ms:0.0} ms",
                request.Command.ToString().ToUpperInvariant(), request.ContainerId, request.IfName, config.Network, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return result;
        }
        catch (CniException e)
        {
            log.Error("{Command} container={Container} ifname={IfName} network={Network}: failed in {Ms:0.0} ms: code {Code}: {Message} {Details}",
                request.Command.ToString().ToUpperInvariant(), request.ContainerId, request.IfName, config.Network, Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                (int)e.Code, e.Message, e.Details ?? "");
            throw;
        }
        catch (Exception e)
        {
            log.Error("{Command} container={Container} ifname={IfName} network={Network}: failed in {Ms:0.0} ms: {Error}",
                request.Command.ToString().ToUpperInvariant(), request.ContainerId, request.IfName, config.Network, Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                e.ToString());
            if (e is Netlink.NetlinkException or IOException or UnauthorizedAccessException)
            {
                throw new CniException(CniErrorCode.Runtime, "azure-vnet: " + e.Message, inner: e);
            }

            throw;
        }
    }

    /// <summary>A log directory that cannot be written must not fail the pod: the command then runs without a log.</summary>
    private static Serilog.Core.Logger? TryCreateLogger(CniRequest request, bool debug)
    {
        try
        {
            return CniLog.Create("azure-vnet", request.Environment, debug);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
