using System.Globalization;
using System.Text;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Files.Upstream;
using AzureCni.Cni.Hosting;
using AzureCni.Ipam.State;
using AzureCni.Ipam.State.Upstream;
using AzureCni.Json;
using AzureCni.Vnet.State;
using AzureCni.Vnet.State.Upstream;

using AzureCni.Vnet.Show;

namespace AzureCni.Vnet.Export;

/// <summary>
/// `azure-vnet state export --format upstream [--output DIR]`: writes azure-vnet.json and azure-vnet-ipam.json in
/// upstream Azure CNI's shapes from ours, so upstream's plugins find every pod after a rollback. Without --output
/// they replace ours in the state directory (ours are kept beside them as <c>&lt;name&gt;.azurecni-&lt;UTC time&gt;</c>),
/// under our locks and upstream's. Exit 0 when written, 1 on a failure, 2 on a usage error.
/// </summary>
public static class StateExportCommand
{
    public const string Argument = "state";

    /// <summary>Written as the files' "Version": upstream never reads it; it tells a reader where the file came from.</summary>
    public const string ExportVersion = "azurecni-export";

    private const string Usage = "usage: azure-vnet state export --format upstream [--output DIR]\n";

    public static int Main(string[] args) => OperatorCommand.Main(args, Run);

    public static int Run(string[] args, string stateDir, StringBuilder output)
    {
        string? format = null, outputDir = null;
        if (args.Length == 0 || args[0] != "export")
        {
            output.Append(Usage);
            return 2;
        }

        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--format" when i + 1 < args.Length: format = args[++i]; break;
                case "--output" when i + 1 < args.Length: outputDir = args[++i]; break;
                default:
                    output.Append(Usage);
                    return 2;
            }
        }

        if (format != "upstream")
        {
            output.Append(Usage);
            return 2;
        }

        try
        {
            Export(stateDir, outputDir ?? stateDir, DateTime.UtcNow, output);
            return 0;
        }
        catch (Exception e) when (e is CniException or IOException or UnauthorizedAccessException)
        {
            output.Append("state export: ").Append(e.Message).Append('\n');
            return 1;
        }
    }

    public static void Export(string stateDir, string outputDir, DateTime utcNow, StringBuilder output)
    {
        var files = FilePrimitives.Current;
        var endpoints = new EndpointStore(stateDir);
        var ipam = new IpamStore(stateDir);
        bool inPlace = Path.GetFullPath(outputDir) == Path.GetFullPath(stateDir);
        System.IO.Directory.CreateDirectory(outputDir);

        // Ours first: reading may convert a file upstream still holds, which takes upstream's lock by itself.
        using var vnetLock = endpoints.LockState();
        using var ipamLock = ipam.Lock(StateLock.DefaultTimeout);
        var vnetState = endpoints.Read();
        var ipamState = ipam.Load();

        // Upstream's order: azure-vnet's lock, then azure-vnet-ipam's.
        using var upstreamVnetLock = StateLock.Acquire(UpstreamStateFile.LockPath(stateDir, EndpointStore.PluginName), UpstreamStateFile.LockTimeout, files);
        using var upstreamIpamLock = StateLock.Acquire(UpstreamStateFile.LockPath(stateDir, IpamStore.PluginName), UpstreamStateFile.LockTimeout, files);
        byte[] vnetBytes = Indented(UpstreamVnetConversion.ToUpstream(vnetState, PoolsOf(ipamState), ExportVersion, utcNow));
        byte[] ipamBytes = Indented(UpstreamIpamConversion.ToUpstream(ipamState, ExportVersion, utcNow));

        string stamp = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        Write(files, Path.Combine(outputDir, EndpointStore.StateFileName), vnetBytes, inPlace, stamp, output);
        Write(files, Path.Combine(outputDir, IpamStore.StateFileName), ipamBytes, inPlace, stamp, output);
        output.Append(CultureInfo.InvariantCulture,
            $"exported {vnetState.Endpoints.Count} endpoints and {ipamState.InUseCount()} reserved addresses in upstream's format\n");
    }

    private static Func<string, IpamPoolOf?> PoolsOf(AzureCni.Ipam.Model.IpamState ipam) =>
        address => ipam.Pools.Find(p => p.Find(address) is not null) is { } pool ? new IpamPoolOf(pool.Subnet, pool.Gateway) : null;

    private static void Write(IFilePrimitives files, string path, byte[] bytes, bool keepOurs, string stamp, StringBuilder output)
    {
        if (keepOurs && files.ReadOrNull(path) is { } ours)
        {
            string copy = path + ".azurecni-" + stamp;
            files.Replace(copy, ours);
            output.Append("kept ").Append(copy).Append('\n');
        }

        files.Replace(path, bytes);
        output.Append("wrote ").Append(path).Append('\n');
    }

    private static byte[] Indented<T>(T document) where T : ICniJsonObject<T>
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = CniJson.CreateWriter(buffer, indented: true))
            document.WriteJson(writer);

        return buffer.WrittenSpan.ToArray();
    }
}
