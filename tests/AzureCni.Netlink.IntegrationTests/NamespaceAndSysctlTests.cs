using System.Net.Sockets;

namespace AzureCni.Netlink.IntegrationTests;

/// <summary>Namespace switching and per-interface sysctls, inside throwaway namespaces.</summary>
[Trait("Category", "Privileged")]
public sealed class NamespaceAndSysctlTests
{
    [RootFact]
    public void Run_ExecutesInsideTargetNamespace_OnAnotherThread()
    {
        using var ns = TestNamespace.Create();
        string target = NamespaceId(ns.Path);
        string before = NamespaceId("/proc/thread-self/ns/net");
        int callerThread = Environment.CurrentManagedThreadId;

        (string inside, int thread) = ns.Namespace.Run(() => (NamespaceId("/proc/thread-self/ns/net"), Environment.CurrentManagedThreadId));

        Assert.Equal(target, inside);
        Assert.NotEqual(before, inside);
        Assert.NotEqual(callerThread, thread);
        Assert.Equal(before, NamespaceId("/proc/thread-self/ns/net"));
    }

    [RootFact]
    public void Run_WhenWorkThrows_RethrowsAndCallerStaysHome()
    {
        using var ns = TestNamespace.Create();
        string before = NamespaceId("/proc/thread-self/ns/net");

        var e = Assert.Throws<InvalidOperationException>(() => ns.Namespace.Run(() => throw new InvalidOperationException("inside")));

        Assert.Equal("inside", e.Message);
        Assert.Equal(before, NamespaceId("/proc/thread-self/ns/net"));
    }

    [RootFact]
    public void SocketOpenedInNamespace_IsUsableFromAnyThread()
    {
        using var ns = TestNamespace.Create();
        using RouteNetlink netlink = RouteNetlink.Open(ns.Namespace);

        Task.Run(() => netlink.AddBridge("br-thread")).GetAwaiter().GetResult();

        Assert.Equal("bridge", ns.IpLink("br-thread").GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [RootFact]
    public void Open_MissingPath_TryOpenIsFalse()
    {
        Assert.False(NetworkNamespace.TryOpen("/var/run/netns/azcni-nl-does-not-exist", out NetworkNamespace? missing));
        Assert.Null(missing);
        Assert.Throws<FileNotFoundException>(() => NetworkNamespace.Open("/var/run/netns/azcni-nl-does-not-exist"));
    }

    [RootFact]
    public void Sysctl_InsideNamespace_WritesThatNamespacesInterface()
    {
        using var ns = TestNamespace.Create();
        ns.Netlink.AddVethPair("sy0", "sy1");

        ns.Namespace.Run(() =>
        {
            Sysctl.SetProxyArp("sy0", true);
            Sysctl.SetForwarding(AddressFamily.InterNetwork, "sy0", true);
            Sysctl.SetAcceptRouterAdvertisements("sy0", 0);
        });

        Assert.Equal("1", ns.Exec("cat", "/proc/sys/net/ipv4/conf/sy0/proxy_arp").Trim());
        Assert.Equal("1", ns.Exec("cat", "/proc/sys/net/ipv4/conf/sy0/forwarding").Trim());
        Assert.Equal("0", ns.Exec("cat", "/proc/sys/net/ipv6/conf/sy0/accept_ra").Trim());
        Assert.Equal("1", ns.Namespace.Run(() => Sysctl.GetInterfaceValue(AddressFamily.InterNetwork, "sy0", "proxy_arp")));
        // The interface exists only in the test namespace, so the caller's namespace was never touched.
        Assert.False(Directory.Exists("/proc/sys/net/ipv4/conf/sy0"));
    }

    [Fact]
    public void Sysctl_RejectsPathsOutsideProcSys()
    {
        Assert.Throws<ArgumentException>(() => Sysctl.Write("/etc/passwd", "x"));
        Assert.Throws<ArgumentException>(() => Sysctl.Write("/proc/sys/../../etc/passwd", "x"));
        Assert.Throws<ArgumentException>(() => Sysctl.SetProxyArp("../x", true));
    }

    private static string NamespaceId(string path)
    {
        var info = new FileInfo(path);
        // /proc/thread-self/ns/net is a magic link "net:[INODE]"; a bind-mounted netns file has the same inode.
        if (info.LinkTarget is { } target)
            return target;
        return "net:[" + Inode(path) + "]";
    }

    private static string Inode(string path) => TestNamespace.Run("stat", "-L", "-c", "%i", path).Trim();
}
