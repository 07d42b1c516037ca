// azure-vnet: the CNI host (env, stdin/stdout, versions, errors) around the network plugin;
// `azure-vnet host-check` prepares a node outside AKS (never on the ADD/DEL path).
if (args.Length > 0 && args[0] == AzureCni.Vnet.HostCheck.HostCheckCommand.Argument)
{
    return AzureCni.Vnet.HostCheck.HostCheckCommand.Main(args[1..]);
}

// `azure-vnet show` prints what the plugins hold and what the kernel disagrees with (never on the CNI path).
if (args.Length > 0 && args[0] == AzureCni.Vnet.Show.ShowCommand.Argument)
{
    return AzureCni.Vnet.Show.ShowCommand.Main(args[1..]);
}

return AzureCni.Cni.Hosting.CniHost.Main(new AzureCni.Vnet.AzureVnetPlugin(), args);
