using AzureCni.Cni;
using AzureCni.Cni.Logging;
using AzureCni.Cni.Types;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.DataPath;
using AzureCni.Vnet.Ipam;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;
using AzureCni.Vnet.Windows;
using Serilog;

namespace AzureCni.Vnet;

/// <summary>
/// azure-vnet, the network plugin. The CNI work is done here once for every platform: the config, the IPAM
/// (<see cref="IpamBackend"/>: azure-vnet-ipam in process, any other through delegation), the ADD's undo stack and
/// the <see cref="CommandLog"/> line. What a command does to the node is the platform's data path
/// (<see cref="IVnetDataPath"/>: <see cref="LinuxDataPath"/>, <see cref="WindowsDataPath"/>).
/// </summary>
public sealed class AzureVnetPlugin : ICniPlugin
{
    private readonly Func<Command, IVnetDataPath> _dataPath;

    public AzureVnetPlugin()
        : this(PlatformDataPath)
    {
        ConfiguresNetns = OperatingSystem.IsLinux();
    }

    /// <summary>
    /// A plugin over another data path (the unit tests give the Linux one a recording kernel, whose namespaces are
    /// names, not the files the host's namespace check looks at).
    /// </summary>
    internal AzureVnetPlugin(Func<Command, IVnetDataPath> dataPath) => _dataPath = dataPath;

    public string Name => EndpointStore.PluginName;

    public bool ConfiguresNetns { get; }

    public CniResult Add(CniRequest request) => Run(request, command =>
    {
        using var dataPath = _dataPath(command);
        using var undo = new UndoStack(command.Log);
        dataPath.Claim();

        command.Fail.At("ipam");
        CniResult ipamResult = command.Ipam.Add(request);
        undo.Push("IPAM reservation", () => command.Ipam.Delete(request));
        if (ipamResult.Ips.Count == 0)
            throw new CniException(CniErrorCode.Runtime, $"azure-vnet: IPAM ({command.Config.IpamType}) returned no address");
        if (command.Config.RequiresIpv6 && !ipamResult.Ips.Exists(ip => ip.Address.IsIPv6))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                $"azure-vnet: ipv6Mode \"{command.Config.Ipv6Mode}\" asks for a dual-stack pod, but IPAM ({command.Config.IpamType}) returned no IPv6 address",
                "the node's address source lists no IPv6 subnet (wireserver, interfaces file, or ipam.subnets); list one or remove ipv6Mode");
        }

        CniResult result = dataPath.Attach(ipamResult, undo);
        undo.Commit();
        return result;
    });

    public void Delete(CniRequest request) => Run(request, command =>
    {
        using var dataPath = _dataPath(command);
        dataPath.Detach();
        command.Ipam.Delete(request);
        dataPath.Forget();
        return true;
    });

    public void Check(CniRequest request) => Run(request, command =>
    {
        using (var dataPath = _dataPath(command))
            dataPath.Check();

        command.Ipam.Check(request);
        return true;
    });

    public void GarbageCollect(CniRequest request) => Run(request, command =>
    {
        using (var dataPath = _dataPath(command))
            dataPath.GarbageCollect();

        command.Ipam.GarbageCollect(request);
        return true;
    });

    public void Status(CniRequest request) => Run(request, command =>
    {
        string? notice;
        try
        {
            using var dataPath = _dataPath(command);
            notice = dataPath.Status();
        }
        catch (CniException e) when (e.Code == CniErrorCode.IOFailure)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, e.Message, e.Details);
        }

        // Success with a notice: the node works, and the operator learns that its state was rebuilt.
        if (notice is not null)
            Cni.Logging.PluginWarnings.Write(Name, notice);

        command.Ipam.Status(request);
        return true;
    });

    private static T Run<T>(CniRequest request, Func<Command, T> body)
    {
        var config = VnetConfig.From(request);
        using var logger = TryCreateLogger(request, config.Debug);
        ILogger log = logger ?? (ILogger)Serilog.Core.Logger.None;
        var command = new Command(request, config, log, IpamBackend.For(config, request.Environment), FailurePoints.From(request.Environment));
        try
        {
            return CommandLog.Run(log, request, () => body(command));
        }
        catch (Exception e) when (e is Netlink.NetlinkException or IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.Runtime, "azure-vnet: " + e.Message, inner: e);
        }
    }

    private static IVnetDataPath PlatformDataPath(Command command) =>
        OperatingSystem.IsWindows() ? WindowsDataPath.ForHost(command.Request) : new LinuxDataPath(command, LinuxKernel.Instance);

    /// <summary>A log directory that cannot be written must not fail the pod: the command then runs without a log.</summary>
    private static CniLogger? TryCreateLogger(CniRequest request, bool debug)
    {
        try
        {
            return CniLog.Create(EndpointStore.PluginName, request.Environment, debug);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One invocation as the data path sees it.</summary>
    internal sealed record Command(CniRequest Request, VnetConfig Config, ILogger Log, IpamBackend Ipam, FailurePoints Fail);
}
