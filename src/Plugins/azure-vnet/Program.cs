// azure-vnet: the CNI host (env, stdin/stdout, versions, errors) around the network plugin.
return AzureCni.Cni.Hosting.CniHost.Main(new AzureCni.Vnet.AzureVnetPlugin(), args);
