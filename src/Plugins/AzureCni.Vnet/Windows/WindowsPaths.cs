using AzureCni.Cni.Files;

namespace AzureCni.Vnet.Windows;

/// <summary>
/// Where azure-vnet is installed on Windows (the upstream layout, which node tooling expects). Its runtime files
/// (azure-vnet.json, azure-vnet-ipam.json, their .lock files, azure-vnet.log, azure-vnet-ipam.log) are in
/// <see cref="PluginPaths.WindowsDir"/>, as <see cref="PluginPaths"/> lays them out.
/// </summary>
public static class WindowsPaths
{
    public const string BinDirectory = PluginPaths.WindowsDir + @"\azurecni\bin";

    public const string NetConfDirectory = PluginPaths.WindowsDir + @"\azurecni\netconf";
}
