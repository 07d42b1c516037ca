using AzureCni.Cni.Hosting;
using AzureCni.Cni.Logging;
using AzureCni.Ipam;

// One line per command in /var/log/azure-vnet-ipam.log (or $AZURE_CNI_LOG_DIR).
return CniHost.Main(new LoggedPlugin(new AzureVnetIpamPlugin()), args);
