using System.Buffers;
using System.Net;
using System.Text;
using AzureCni.Cni.Hosting;
using AzureCni.Netlink;
using AzureCni.Vnet.Linux;

namespace AzureCni.Vnet.Tests.DataPath;

/// <summary>
/// azure-vnet over a <see cref="RecordingKernel"/>: a node whose eth0 holds 10.240.0.4/16 and the default route, pod
/// namespaces, and a state and log directory of its own; in-process azure-vnet-ipam with a file of five addresses.
/// No privilege needed, nothing of the machine touched.
/// </summary>
internal sealed class FakeNode : IDisposable
{
    public FakeNode()
    {
        // On a tmpfs when there is one: every state write is fsynced, which a disk makes the slowest part of a test.
        Dir = Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", "azcni-fake-" + Guid.NewGuid().ToString("N"))).FullName
            : Directory.CreateTempSubdirectory("azcni-fake-").FullName;
        File.WriteAllText(Path.Combine(Dir, "interfaces.json"), """
            {"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16","IPAddresses":[
              {"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false},{"Address":"10.240.0.6","IsPrimary":false},
              {"Address":"10.240.0.7","IsPrimary":false},{"Address":"10.240.0.8","IsPrimary":false}]}]}]}
            """);
        Kernel.Node.Seed("lo", null!);
        var eth0 = Kernel.Node.Seed("eth0", "", System.Net.NetworkInformation.PhysicalAddress.Parse("00-0d-3a-00-00-04"));
        Kernel.Node.Addresses.Add(new AddressInfo(eth0.Index, IPAddress.Parse("10.240.0.4"), 16, RouteScope.Universe, null));
        Kernel.Node.Routes.Add(new RouteEntry { Destination = IPAddress.Parse("10.240.0.0"), DestinationPrefixLength = 16, OutputInterfaceIndex = eth0.Index, Protocol = RouteProtocol.Kernel, Scope = RouteScope.Link });
        Kernel.Node.Routes.Add(new RouteEntry { Gateway = IPAddress.Parse("10.240.0.1"), OutputInterfaceIndex = eth0.Index, Protocol = RouteProtocol.Boot, Family = System.Net.Sockets.AddressFamily.InterNetwork });
    }

    public string Dir { get; }

    /// <summary>libcni's cache directory of this node (never the machine's /var/lib/cni).</summary>
    public string CacheDir => Path.Combine(Dir, "cni-cache");

    /// <summary>What libcni writes after a successful ADD: results/&lt;network&gt;-&lt;container&gt;-&lt;ifname&gt;.</summary>
    public void Cache(string containerId, string config, string result)
    {
        Directory.CreateDirectory(Path.Combine(CacheDir, "results"));
        string entry = "{\"kind\":\"cniCacheV1\",\"containerId\":\"" + containerId + "\",\"config\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(config))
            + "\",\"ifName\":\"eth0\",\"networkName\":\"azure\",\"result\":" + result + "}";
        File.WriteAllText(Path.Combine(CacheDir, "results", "azure-" + containerId + "-eth0"), entry);
    }

    public RecordingKernel Kernel { get; } = new();

    public RecordingKernel.Netns AddPod(string name)
    {
        var pod = Kernel.AddNamespace("/fake/netns/" + name);
        pod.Seed("lo", null!);
        return pod;
    }

    public string Config(string mode, string extra = "") =>
        "{\"cniVersion\":\"1.1.0\",\"name\":\"azure\",\"type\":\"azure-vnet\",\"mode\":\"" + mode + "\"" + extra
        + ",\"ipam\":{\"type\":\"azure-vnet-ipam\",\"environment\":\"fileIpam\",\"interfacesFile\":\"" + Path.Combine(Dir, "interfaces.json") + "\"}}";

    /// <summary>CNI_PATH for a delegated IPAM (the reference plugins' directory for host-local).</summary>
    public string CniPath { get; set; } = "/nonexistent";

    /// <summary>Dual-stack through the reference host-local IPAM (CNI 1.0.0, its newest): 10.240.0.5-8 and fd00:10:240::5-8, state in this node's directory.</summary>
    public string DualStackConfig(string mode, string extra = "")
    {
        CniPath = "/usr/lib/cni";
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"azure\",\"type\":\"azure-vnet\",\"mode\":\"" + mode + "\"" + extra
            + ",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"" + Path.Combine(Dir, "host-local") + "\",\"ranges\":["
            + "[{\"subnet\":\"10.240.0.0/16\",\"rangeStart\":\"10.240.0.5\",\"rangeEnd\":\"10.240.0.8\",\"gateway\":\"10.240.0.1\"}],"
            + "[{\"subnet\":\"fd00:10:240::/64\",\"rangeStart\":\"fd00:10:240::5\",\"rangeEnd\":\"fd00:10:240::8\",\"gateway\":\"fd00:10:240::1\"}]]}}";
    }

    public string State(string file) => File.Exists(Path.Combine(Dir, file)) ? File.ReadAllText(Path.Combine(Dir, file)) : "";

    public PluginOutcome Run(string command, string containerId, string? pod, string config, Dictionary<string, string>? extraEnv = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = pod is null ? "" : "/fake/netns/" + pod,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = CniPath,
            ["AZURE_CNI_STATE_DIR"] = Dir,
            ["AZURE_CNI_LOG_DIR"] = Dir,
            ["AZURE_CNI_CNI_CACHE_DIR"] = CacheDir,
        };
        foreach (var (key, value) in extraEnv ?? [])
            env[key] = value;

        var stdout = new ArrayBufferWriter<byte>();
        var stderr = new ArrayBufferWriter<byte>();
        var plugin = new AzureVnetPlugin(command => new LinuxDataPath(command, Kernel));
        int exit = CniHost.Run(plugin, new CniInvocation { Environment = env, ProductVersion = "test" },
            new MemoryStream(Encoding.UTF8.GetBytes(config)), stdout, stderr);
        return new PluginOutcome(exit, Encoding.UTF8.GetString(stdout.WrittenSpan), Encoding.UTF8.GetString(stderr.WrittenSpan));
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
