namespace AzureCni.Cni;

// Deliberately breaks a layer rule (the CNI core using netlink) to show the architecture test failing.
internal static class ForbiddenProbe
{
    public static string Name => nameof(AzureCni.Netlink.NetlinkException);

    public static System.Type Type => typeof(AzureCni.Netlink.NetlinkException);
}
