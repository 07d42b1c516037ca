// azure-vnet: the CNI host (env, stdin/stdout, versions, errors) around the network plugin;
// `azure-vnet host-check` prepares a node outside AKS (never on the ADD/DEL path).
if (args.Length > 0 && args[0] == AzureCni.Vnet.HostCheck.HostCheckCommand.Argument)
{
    return AzureCni.Vnet.HostCheck.HostCheckCommand.Main(args.AsSpan(1).ToArray());
}

// `azure-vnet show` prints what the plugins hold and what the kernel disagrees with (never on the CNI path).
if (args.Length > 0 && args[0] == AzureCni.Vnet.Show.ShowCommand.Argument)
{
    return AzureCni.Vnet.Show.ShowCommand.Main(args.AsSpan(1).ToArray());
}

// `azure-vnet state export --format upstream` writes the state back in upstream Azure CNI's format (rollback).
if (args.Length > 0 && args[0] == AzureCni.Vnet.Export.StateExportCommand.Argument)
{
    return AzureCni.Vnet.Export.StateExportCommand.Main(args.AsSpan(1).ToArray());
}

// With metricsDir (or $AZURE_CNI_METRICS_DIR), each command is also counted in <dir>/azure-vnet.prom.
return AzureCni.Cni.Hosting.CniHost.Main(
    new AzureCni.Cni.Metrics.MeteredPlugin(new AzureCni.Vnet.AzureVnetPlugin(), static () => PluginBuild.Version, AzureCni.Ipam.Show.PoolGauges.Read), args, PluginBuild.Version);

