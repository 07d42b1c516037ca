using AzureCni.Cni.Hosting;
using AzureCni.Cni.Logging;
using AzureCni.Ipam;

// `azure-vnet-ipam show` prints the pools and reservations (never on the CNI path).
if (args.Length > 0 && args[0] == AzureCni.Ipam.Show.IpamShowCommand.Argument)
{
    return AzureCni.Ipam.Show.IpamShowCommand.Main(args[1..]);
}

// One line per command in /var/log/azure-vnet-ipam.log (or $AZURE_CNI_LOG_DIR).
// With metricsDir (or $AZURE_CNI_METRICS_DIR), each command is also counted in <dir>/azure-vnet-ipam.prom.
return CniHost.Main(new AzureCni.Cni.Metrics.MeteredPlugin(new LoggedPlugin(new AzureVnetIpamPlugin()), static () => PluginBuild.Version, AzureCni.Ipam.Show.PoolGauges.Read), args);

