using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AzureCni.Cni.Hosting;
using AzureCni.Netlink;

namespace AzureCni.Vnet.Tests;

/// <summary>The outcome of one plugin invocation.</summary>
public sealed record PluginOutcome(int Exit, string Stdout, string Stderr)
{
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
    }
}

/// <summary>
/// A simulated Azure node, all in throwaway namespaces (azcni-vn-RANDOM-*): "node" with its own eth0 (10.240.0.4/16,
/// default via 10.240.0.1), a veth whose peer "fab0" (10.240.0.1/16) sits in "fabric", and pod namespaces on demand.
/// The plugin runs in-process on a thread inside the node namespace, with its state and log in a temp directory and
/// azure-vnet-ipam (fileIpam) handing out 10.240.0.5-10.240.0.8. Everything is deleted on Dispose.
/// </summary>
public sealed class VnetNode : IDisposable
{
    private readonly List<TestNetns> _namespaces = [];

    public VnetNode()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        StateDir = Path.Combine(Path.GetTempPath(), "azcni-vn-" + Id);
        Directory.CreateDirectory(StateDir);
        try
        {
            Node = AddNamespace("node");
            Fabric = AddNamespace("fabric");
            // No duplicate address detection: a link-local address leaving "tentative" would change the snapshots.
            foreach (string ns in (string[])[Node, Fabric])
            {
                Run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            }

            Run("ip", "-n", Node, "link", "add", "eth0", "type", "veth", "peer", "name", "fab0", "netns", Fabric);
            Run("ip", "-n", Node, "link", "set", "lo", "up");
            Run("ip", "-n", Fabric, "link", "set", "lo", "up");
            Run("ip", "-n", Node, "link", "set", "eth0", "up");
            Run("ip", "-n", Fabric, "link", "set", "fab0", "up");
            Run("ip", "-n", Node, "addr", "add", "10.240.0.4/16", "dev", "eth0");
            Run("ip", "-n", Fabric, "addr", "add", "10.240.0.1/16", "dev", "fab0");
            Run("ip", "-n", Node, "route", "add", "default", "via", "10.240.0.1", "dev", "eth0");
            // Snapshots compare address flags: wait until duplicate address detection has finished everywhere.
            for (int i = 0; i < 100 && Run("ip", "-n", Node, "addr", "show", "tentative").Length > 0; i++)
            {
                Thread.Sleep(50);
            }

            File.WriteAllText(InterfacesFile, """
                {"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16","IPAddresses":[
                  {"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false},{"Address":"10.240.0.6","IsPrimary":false},
                  {"Address":"10.240.0.7","IsPrimary":false},{"Address":"10.240.0.8","IsPrimary":false}]}]}]}
                """);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Id { get; }

    public string Node { get; }

    public string Fabric { get; }

    public string StateDir { get; }

    public string InterfacesFile => Path.Combine(StateDir, "interfaces.json");

    public string LogFile => Path.Combine(StateDir, "azure-vnet.log");

    /// <summary>A state file's text ("" when it was never written).</summary>
    public string StateText(string file) => File.Exists(Path.Combine(StateDir, file)) ? File.ReadAllText(Path.Combine(StateDir, file)) : "";

    public static string NetnsPath(string name) => TestNetns.PathOf(name);

    public string AddNamespace(string role, bool loopbackUp = false)
    {
        var ns = TestNetns.CreateNamed($"azcni-vn-{Id}-{role}", loopbackUp);
        _namespaces.Add(ns);
        return ns.Name;
    }

    /// <summary>Deletes a namespace now, as a runtime does right after DEL.</summary>
    public void DeleteNamespace(string name) => Run("ip", "netns", "del", name);

    /// <summary>Waits for the kernel's namespace teardown to free a host link; fails naming it after <see cref="SimNode.NamespaceTeardown"/>.</summary>
    public void AssertLinkGone(string link)
    {
        TimeSpan timeout = SimNode.NamespaceTeardown;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (TryRun(["ip", "-n", Node, "link", "show", "dev", link], out _) && clock.Elapsed < timeout)
            Thread.Sleep(20);
        Assert.False(TryRun(["ip", "-n", Node, "link", "show", "dev", link], out _), $"{link} is still on the node {timeout.TotalSeconds} s after its namespace was deleted");
    }

    /// <summary>What DEL leaves in a namespace the runtime keeps: eth0 down, without an address or a route.</summary>
    public static void AssertPodInterfaceDeconfigured(string pod, string ifName = "eth0")
    {
        JsonElement link = IpJson(pod, "addr", "show", "dev", ifName)[0];
        Assert.DoesNotContain("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Empty(link.GetProperty("addr_info").EnumerateArray());
        Assert.Equal("", Run("ip", "-n", pod, "route", "show", "dev", ifName).Trim());
        Assert.Equal("", Run("ip", "-n", pod, "-6", "route", "show", "dev", ifName).Trim());
    }

    /// <summary>A pod namespace with lo up.</summary>
    public string AddPod(string role) => AddNamespace(role, loopbackUp: true);

    public string Config(string mode, string cniVersion = "1.0.0", string extra = "") =>
        "{\"cniVersion\":\"" + cniVersion + "\",\"name\":\"azure\",\"type\":\"azure-vnet\",\"mode\":\"" + mode + "\",\"logLevel\":\"debug\"" + extra
        + ",\"ipam\":{\"type\":\"azure-vnet-ipam\",\"environment\":\"fileIpam\",\"interfacesFile\":\"" + InterfacesFile + "\"}}";

    /// <summary>Runs azure-vnet in-process on a thread inside the node namespace.</summary>
    public PluginOutcome Plugin(string command, string containerId, string? pod, string config,
        string ifName = "eth0", string? cniArgs = null, string? failAt = null, string cniPath = "/nonexistent")
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = pod is null ? "" : NetnsPath(pod),
            ["CNI_IFNAME"] = ifName,
            ["CNI_PATH"] = cniPath,
            ["AZURE_CNI_STATE_DIR"] = StateDir,
            ["AZURE_CNI_LOG_DIR"] = StateDir,
        };
        if (cniArgs is not null)
            env["CNI_ARGS"] = cniArgs;
        if (failAt is not null)
        {
            env["AZURE_CNI_FAIL_AT"] = failAt;
            env["AZURE_CNI_TEST_HOOKS"] = "1";
        }

        var stdout = new ArrayBufferWriter<byte>();
        var stderr = new ArrayBufferWriter<byte>();
        var invocation = new CniInvocation { Environment = env, ProductVersion = "test" };
        using var node = NetworkNamespace.Open(NetnsPath(Node));
        int exit = node.Run(() => CniHost.Run(new AzureVnetPlugin(), invocation, new MemoryStream(Encoding.UTF8.GetBytes(config)), stdout, stderr));
        return new PluginOutcome(exit, Encoding.UTF8.GetString(stdout.WrittenSpan), Encoding.UTF8.GetString(stderr.WrittenSpan));
    }

    /// <summary><c>ip -j -n NS ARGS</c>, parsed.</summary>
    public static JsonElement IpJson(string ns, params string[] args)
    {
        string output = Run(["ip", "-j", "-n", ns, .. args]);
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output);
        return doc.RootElement.Clone();
    }

    /// <summary>The node as <c>ip -j addr</c>, <c>ip -j route</c> (v4 and v6) and <c>ip -j link</c> show it.</summary>
    public string Snapshot() => string.Join("\n",
        Run("ip", "-j", "-n", Node, "addr"),
        Run("ip", "-j", "-n", Node, "-4", "route", "show", "table", "all"),
        Run("ip", "-j", "-n", Node, "-6", "route", "show", "table", "all"),
        Run("ip", "-j", "-n", Node, "link"));

    public static bool Ping(string fromNs, string address) =>
        TryRun(["ip", "netns", "exec", fromNs, .. AzureCni.TestBed.Ping.Once(address)], out _);

    public static string Run(params string[] args) =>
        TryRun(args, out string output) ? output : throw new InvalidOperationException($"'{string.Join(' ', args)}' failed: {output}");

    public static bool TryRun(string[] args, out string output)
    {
        CommandResult result = Shell.Run(args);
        output = result.Succeeded ? result.Stdout : result.Output;
        return result.Succeeded;
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces)
            ns.Dispose();
        try
        {
            Directory.Delete(StateDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
