using AzureCni.Cni.Hosting;
using AzureCni.Cni.Logging;
using AzureCni.Ipam;

// `azure-vnet-ipam show` prints the pools and reservations (never on the CNI path).
if (args.Length > 0 && args[0] == AzureCni.Ipam.Show.IpamShowCommand.Argument)
{
    var output = new System.Text.StringBuilder();
    int code = AzureCni.Ipam.Show.IpamShowCommand.Run(args.AsSpan(1).ToArray(), AzureCni.Cni.Files.PluginPaths.StateDirOfProcess(), output);
    StandardStreams.WriteOutput(System.Text.Encoding.UTF8.GetBytes(output.ToString()));
    return code;
}

// One line per command in /var/log/azure-vnet-ipam.log (or $AZURE_CNI_LOG_DIR).
// With metricsDir (or $AZURE_CNI_METRICS_DIR), each command is also counted in <dir>/azure-vnet-ipam.prom.
return CniHost.Main(new AzureCni.Cni.Metrics.MeteredPlugin(new LoggedPlugin(new AzureVnetIpamPlugin()), static () => PluginBuild.Version, AzureCni.Ipam.Show.PoolGauges.Read), args, PluginBuild.Version);

