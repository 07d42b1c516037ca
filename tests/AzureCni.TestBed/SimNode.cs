using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AzureCni.TestBed;

/// <summary>
/// A simulated node (<c>PREFIX-node-N</c>): eth0 00:0d:3a:00:00:0N, 10.240.N.4/16, secondaries from 10.240.N.5.
/// Its plugins run inside it through the libcni client, with their own state directory and result cache.
/// </summary>
public sealed class SimNode(SimulatedAzure bed, int index)
{
    public SimulatedAzure Bed { get; } = bed;

    public int Index { get; } = index;

    public string Namespace => $"{Bed.Prefix}-node-{Index}";

    public string PrimaryIp => $"10.240.{Index}.4";

    /// <summary>The NIC's IPv6 primary a dual-stack bed lists (fd00:240::N:4); its secondaries follow from ::N:5.</summary>
    public string PrimaryIp6 => $"fd00:240::{Index}:4";

    public string Directory => Path.Combine(Bed.Directory, "node-" + Index.ToString(CultureInfo.InvariantCulture));

    /// <summary>AZURE_CNI_STATE_DIR of this node's plugins (each node is its own machine).</summary>
    public string StateDir => Path.Combine(Directory, "state");

    public string CacheDir => Path.Combine(Directory, "cni-cache");

    /// <summary>What the plugins of this node run with: its own state and log directories (inside the bed's).</summary>
    public IReadOnlyDictionary<string, string> PluginEnvironment => new Dictionary<string, string>
    {
        ["AZURE_CNI_STATE_DIR"] = StateDir,
        ["AZURE_CNI_LOG_DIR"] = Directory,
        ["AZURE_CNI_CNI_CACHE_DIR"] = CacheDir, // the cache libcni-client writes, read to rebuild a damaged state file
    };

    internal void Prepare()
    {
        System.IO.Directory.CreateDirectory(StateDir);
        System.IO.Directory.CreateDirectory(CacheDir);
    }

    /// <summary>
    /// The CNI_PATH the runtime gives the plugins: the published plugins, then Debian's reference plugins; a test of
    /// an installation points it at the installed bin directory instead.
    /// </summary>
    public string CniPath { get; set; } = Requirements.BinDir + ":" + Repository.ReferencePluginDir;

    /// <summary>Writes a conflist into the node's directory and returns its path.</summary>
    public string WriteConflist(string name, string json)
    {
        string path = Path.Combine(Directory, name + ".conflist");
        File.WriteAllText(path, json);
        return path;
    }

    public CommandResult Exec(params string[] args) => Shell.Run(["ip", "netns", "exec", Namespace, .. args]);

    public bool Reaches(string address) => Exec(Ping.Once(address)).Succeeded;

    /// <summary>One libcni operation (add, check, del) of a conflist for a pod, run inside this node.</summary>
    public CommandResult Cni(string command, Pod pod, string conflist, string? capabilityArgs = null, string? cniArgs = null)
    {
        List<string> args =
        [
            "ip", "netns", "exec", Namespace, Repository.LibcniClient,
            "-conflist", conflist, "-netns", pod.NetnsPath, "-cid", pod.ContainerId,
            "-cache-dir", CacheDir, "-cni-path", CniPath,
        ];
        if (capabilityArgs is not null)
            args.AddRange(["-cap-args", capabilityArgs]);
        if (cniArgs is not null)
            args.AddRange(["-args", cniArgs]);
        args.Add(command);
        return Shell.Run(args, PluginEnvironment, TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// One go-cni operation (setup, check, remove) as containerd's CRI plugin makes it: the first conflist of
    /// <paramref name="confDir"/> plus the loopback network, the CRI labels and capabilities, run inside this node.
    /// </summary>
    public CommandResult Gocni(string command, Pod pod, string confDir, string podName, int hostPort = 0, int containerPort = 0)
    {
        // go-cni takes one plugin directory: ours and the reference loopback, linked side by side.
        string binDir = Path.Combine(Directory, "gocni-bin");
        if (!System.IO.Directory.Exists(binDir))
        {
            System.IO.Directory.CreateDirectory(binDir);
            foreach (string plugin in (string[])["azure-vnet", "azure-vnet-ipam"])
                File.CreateSymbolicLink(Path.Combine(binDir, plugin), Path.Combine(Requirements.BinDir!, plugin));
            File.CreateSymbolicLink(Path.Combine(binDir, "loopback"), Path.Combine(Repository.ReferencePluginDir, "loopback"));
        }

        List<string> args =
        [
            "ip", "netns", "exec", Namespace, Repository.GocniClient,
            "-conf-dir", confDir, "-bin-dir", binDir, "-id", pod.ContainerId, "-netns", pod.NetnsPath, "-pod", podName,
        ];
        if (hostPort != 0)
            args.AddRange(["-host-port", hostPort.ToString(CultureInfo.InvariantCulture), "-container-port", containerPort.ToString(CultureInfo.InvariantCulture)]);
        args.Add(command);
        return Shell.Run(args, PluginEnvironment, TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// azure-vnet run directly inside this node, as a runtime's CNI library does (for GC and STATUS, which the
    /// Debian libcni and go-cni predate): CNI_* from the arguments, the node's state and log directories.
    /// </summary>
    public CommandResult Plugin(string command, string config, string containerId = "", string netns = "")
    {
        var environment = new Dictionary<string, string>(PluginEnvironment)
        {
            ["CNI_COMMAND"] = command, ["CNI_CONTAINERID"] = containerId, ["CNI_NETNS"] = netns,
            ["CNI_IFNAME"] = "eth0", ["CNI_PATH"] = CniPath,
        };
        return Shell.Run(["ip", "netns", "exec", Namespace, Path.Combine(Requirements.BinDir!, "azure-vnet")], environment, TimeSpan.FromSeconds(60), config);
    }

    /// <summary>ADD that must succeed; records and returns the pod's address (the result's first IP).</summary>
    public IPAddress Add(Pod pod, string conflist, string? capabilityArgs = null)
    {
        CommandResult result = Cni("add", pod, conflist, capabilityArgs);
        Assert.True(result.Succeeded, $"ADD of {pod.Namespace} on {Namespace} failed: {result}");
        using JsonDocument document = JsonDocument.Parse(result.Stdout);
        string cidr = document.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!;
        pod.Address = IPAddress.Parse(cidr.AsSpan(0, cidr.IndexOf('/', StringComparison.Ordinal)));
        foreach (JsonElement ip in document.RootElement.GetProperty("ips").EnumerateArray())
        {
            string text = ip.GetProperty("address").GetString()!;
            var address = IPAddress.Parse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)));
            if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                pod.Address6 ??= address;
        }

        return pod.Address;
    }

    public void Succeeds(string command, Pod pod, string conflist, string? capabilityArgs = null)
    {
        CommandResult result = Cni(command, pod, conflist, capabilityArgs);
        Assert.True(result.Succeeded, $"{command.ToUpperInvariant()} of {pod.Namespace} on {Namespace} failed: {result}");
    }

    /// <summary>Everything of the node a pod can leave behind: routes of every table, rules, nft rules, neighbours.</summary>
    public string NetworkDump() => string.Join('\n',
        Exec("ip", "-4", "route", "show", "table", "all").Stdout,
        Exec("ip", "-4", "rule", "show").Stdout,
        Exec("ip", "-4", "neigh", "show", "nud", "permanent").Stdout,
        KernelLinkLocalRoutesLeftOut(Exec("ip", "-6", "route", "show", "table", "all").Stdout),
        Exec("ip", "-6", "neigh", "show", "nud", "permanent").Stdout,
        NftRuleset());

    // The kernel adds a link's own link-local route (local fe80::...) only when the address ends duplicate address
    // detection, a second or more after the link comes up: a dump taken right after the bed starts would differ from
    // a later one by that line alone, which is no object of ours.
    private static string KernelLinkLocalRoutesLeftOut(string routes) =>
        string.Join('\n', routes.Split('\n').Where(l => !l.StartsWith("local fe80::", StringComparison.Ordinal)));

    /// <summary>The node's nftables ruleset without counters (<c>nft -s</c>), which traffic changes.</summary>
    public string NftRuleset() => Exec("nft", "-s", "list", "ruleset").Stdout;

    /// <summary>
    /// The node's network as a pod could change it: links (name, master, state), addresses, the dump above. Routes the
    /// kernel adds for IPv6 forwarding itself (subnet-router anycast), which a first dual-stack ADD turns on for good,
    /// are left out.
    /// </summary>
    public string Snapshot() => string.Join('\n',
        Exec("ip", "-o", "link", "show").Stdout.Split('\n').Select(l => Regex.Replace(l, @"^\d+: |link/ether.*$|qlen \d+", "")),
        Exec("ip", "-o", "addr", "show").Stdout.Split('\n').Select(l => Regex.Replace(l, @"^\d+: |valid_lft.*$", "")),
        NetworkDump().Split('\n').Where(l => !l.StartsWith("anycast ", StringComparison.Ordinal)));

    /// <summary>The veth links of the node other than its NIC (simnet's eth0 is a veth to the fabric): pods' host ends.</summary>
    public IReadOnlyList<string> VethLinks()
    {
        using JsonDocument links = JsonDocument.Parse(Shell.Check(["ip", "-j", "-d", "-n", Namespace, "link", "show"]));
        return links.RootElement.EnumerateArray()
            .Where(l => l.TryGetProperty("linkinfo", out JsonElement info) && info.TryGetProperty("info_kind", out JsonElement kind) && kind.GetString() == "veth")
            .Select(l => l.GetProperty("ifname").GetString()!)
            .Where(name => name != "eth0")
            .ToArray();
    }

    /// <summary>
    /// How long the kernel's namespace teardown may take to free the veths of deleted namespaces. It runs in a
    /// background worker, batched with every namespace being deleted: well under a second on a quiet machine, several
    /// on a loaded one. A waiter returns as soon as they are gone, so the bound costs a passing test nothing.
    /// </summary>
    public static readonly TimeSpan NamespaceTeardown = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Waits until the node holds no pod veth, as after a runtime deleted the pods' namespaces: DEL leaves the pair to
    /// the kernel's namespace teardown, which frees it in the background. Fails naming what is left after
    /// <see cref="NamespaceTeardown"/>.
    /// </summary>
    public void AssertNoVethLinks()
    {
        TimeSpan timeout = NamespaceTeardown;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<string> left;
        while ((left = VethLinks()).Count > 0 && clock.Elapsed < timeout)
            Thread.Sleep(20);
        Assert.True(left.Count == 0, $"{Namespace} still holds {string.Join(", ", left)} {timeout.TotalSeconds:0.#} s after the namespaces were deleted");
    }

    /// <summary>
    /// The state files (azure-vnet's, azure-vnet-ipam's) that still mention a container. A file's journal
    /// (<c>.journal</c>) is left out: its older slot holds the state before the last write by design.
    /// </summary>
    public IReadOnlyList<string> StateFilesMentioning(string containerId) =>
        System.IO.Directory.EnumerateFiles(StateDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".journal", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains(containerId, StringComparison.OrdinalIgnoreCase))
            .ToArray();

    /// <summary>Asserts a deleted pod left nothing on the node: no route, rule, nft rule or neighbour of its
    /// address, no state entry of its container, and in its namespace (when kept) an eth0 that is down and holds
    /// no address, or none.</summary>
    public void AssertNothingLeftOf(Pod pod, IPAddress address)
    {
        var mention = new Regex($@"(?<![\d.]){Regex.Escape(address.ToString())}(?![\d])", RegexOptions.CultureInvariant);
        string[] leftovers = NetworkDump().Split('\n').Where(line => mention.IsMatch(line)).ToArray();
        Assert.True(leftovers.Length == 0, $"{Namespace} still holds {address} of {pod.Namespace}:\n{string.Join('\n', leftovers)}");
        Assert.Empty(StateFilesMentioning(pod.ContainerId));
        CommandResult eth0 = pod.Exec("ip", "-o", "addr", "show", "dev", "eth0");
        if (eth0.Succeeded)
        {
            Assert.DoesNotContain(" inet", eth0.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(",UP", pod.Exec("ip", "-o", "link", "show", "dev", "eth0").Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>The addresses azure-vnet-ipam's state still gives to some container.</summary>
    public string[] ReservedAddresses()
    {
        string state = Path.Combine(StateDir, "azure-vnet-ipam.json");
        if (!File.Exists(state))
            return [];
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(state));
        return document.RootElement.GetProperty("pools").EnumerateArray()
            .SelectMany(p => p.GetProperty("addresses").EnumerateArray())
            .Where(a => a.TryGetProperty("containerId", out JsonElement id) && !string.IsNullOrEmpty(id.GetString()))
            .Select(a => a.GetProperty("address").GetString()!)
            .ToArray();
    }
}
