namespace AzureCni.Vnet.Windows;

/// <summary>Where azure-vnet keeps its files on Windows (the upstream layout, which node tooling expects).</summary>
public static class WindowsPaths
{
    /// <summary>State, logs and locks.</summary>
    public const string StateDirectory = @"C:\k\";

    public const string StateFile = @"C:\k\azure-vnet.json";

    public const string LogFile = @"C:\k\azure-vnet.log";

    public const string LockFile = @"C:\k\azure-vnet.json.lock";

    public const string BinDirectory = @"C:\k\azurecni\bin";

    public const string NetConfDirectory = @"C:\k\azurecni\netconf";
}
