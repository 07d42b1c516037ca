using AzureCni.Cni.Hosting;
using AzureCni.Ipam;

return CniHost.Main(new AzureVnetIpamPlugin(), args);
