using System.Text.Json;
using System.Text.RegularExpressions;
using AzureCni.TestBed;

namespace AzureCni.EndToEnd.Tests;

/// <summary>
/// podman 4 with its CNI backend (containers.conf network_backend = "cni") runs a container on an azure-vnet
/// network inside a simulated node. No registry is reachable, so the container is a busybox-static rootfs
/// (<c>podman run --rootfs</c>). Everything podman needs lives under the bed's directory: its storage, run
/// root, containers.conf and CNI config directory.
///
/// Two things of this environment the test works around, both inside the private mount namespace that
/// <c>ip netns exec</c> creates (so nothing of the machine changes): <c>ip netns exec</c> remounts /sys, which
/// hides the machine's cgroup mounts, and crun refuses a tmpfs /sys/fs/cgroup; the test mounts a cgroup2
/// there and runs with <c>--cgroups=disabled</c>. podman's default nofile limit (1048576) can exceed the hard
/// limit a sandbox gives root, so the limits are set explicitly. The network teardown of <c>--rm</c> runs in
/// podman's cleanup process, which does not inherit the caller's environment: the plugins' state and log
/// directories reach it through containers.conf's <c>[engine] env</c>.
/// </summary>
public sealed class PodmanTests
{
    private static readonly string? Missing =
        !File.Exists("/usr/bin/podman") ? "podman is not installed (apt-get install podman; .ci/run installs it)."
        : !File.Exists("/bin/busybox") ? "busybox-static is not installed (apt-get install busybox-static; .ci/run installs it)."
        : null;

    [EndToEndFact]
    public void Podman_runs_a_container_on_an_azure_vnet_network_in_a_node()
    {
        Assert.True(Missing is null, Missing);
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        var podman = PodmanSetup.Prepare(node, NetworkConfigs.AzureVnet(NetworkConfigs.Transparent));

        string script =
            $"mount -t cgroup2 none /sys/fs/cgroup && exec {podman.Command}" +
            " run --rm --cgroups=disabled --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network azure" +
            $" --rootfs {podman.Rootfs} /bin/busybox sh -c 'ip -4 -o addr show dev eth0; ping -c 1 -W 2 {SimulatedAzure.Gateway} && echo gateway-reached'";
        CommandResult run = podman.Run(node, script);

        Assert.True(run.Succeeded, $"podman run failed: {run}");
        Match address = Regex.Match(run.Stdout, @"inet (10\.240\.1\.\d+)/");
        Assert.True(address.Success, $"the container has no VNet address of node 1: {run.Stdout}");
        Assert.Contains("gateway-reached", run.Stdout, StringComparison.Ordinal);

        // --rm: podman ran CNI DEL when the container exited, then deleted its namespace.
        node.AssertNoVethLinks();
        Assert.DoesNotMatch($@"(?<![\d.]){Regex.Escape(address.Groups[1].Value)}(?![\d])", node.NetworkDump());
        Assert.Empty(node.ReservedAddresses());
    }

    /// <summary>
    /// A container's life with the network changed under it: run with a published port, network disconnect (CNI DEL,
    /// the namespace kept), network connect (ADD into the namespace that holds the leftover), rm. One shell runs it
    /// all: podman's namespaces are bind mounts in the private mount namespace of that one ip netns exec.
    /// </summary>
    [EndToEndTheory]
    [InlineData(NetworkConfigs.Transparent)]
    [InlineData(NetworkConfigs.Bridge)]
    public void Podman_run_with_a_port_network_disconnect_connect_and_rm(string mode)
    {
        Assert.True(Missing is null, Missing);
        using SimulatedAzure bed = SimulatedAzure.Start();
        SimNode node = bed.Nodes[0];
        var podman = PodmanSetup.Prepare(node, NetworkConfigs.AzureVnet(mode));
        string p = podman.Command, bb = "/bin/busybox";
        string script = string.Join('\n',
            "set -e",
            "mount -t cgroup2 none /sys/fs/cgroup",
            $"{p} run -d --name web --cgroups=disabled --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network azure -p 30080:8080 --rootfs {podman.Rootfs} {bb} sleep 600 >/dev/null",
            $"echo \"run: $({p} exec web {bb} ip -4 -o addr show dev eth0)\"",
            "echo \"dnat-run: $(nft list ruleset | grep -c 'dport 30080' || true)\"",
            $"{p} network disconnect azure web",
            $"echo \"disconnected: $({p} exec web {bb} ip -4 -o addr show | tr '\\n' ' ')\"",
            "echo \"dnat-disconnected: $(nft list ruleset | grep -c 'dport 30080' || true)\"",
            $"{p} network connect azure web",
            $"echo \"connected: $({p} exec web {bb} ip -4 -o addr show dev eth0)\"",
            $"{p} exec web {bb} ping -c 1 -W 2 {SimulatedAzure.Gateway} >/dev/null && echo gateway-reached",
            $"{p} rm -f -t 0 web >/dev/null",
            "echo removed");

        CommandResult run = podman.Run(node, script);

        Assert.True(run.Succeeded && run.Stdout.Contains("removed", StringComparison.Ordinal), $"the podman sequence failed: {run}");
        Assert.Matches(@"(?m)^run: .*inet 10\.240\.1\.\d+/", run.Stdout);
        Assert.Matches(@"(?m)^dnat-run: [1-9]", run.Stdout);
        Assert.Matches(@"(?m)^disconnected: ", run.Stdout);
        Assert.DoesNotMatch(@"(?m)^disconnected: .*inet 10\.240\.", run.Stdout);
        Assert.Matches(@"(?m)^dnat-disconnected: 0$", run.Stdout);
        Assert.Matches(@"(?m)^connected: .*inet 10\.240\.1\.\d+/", run.Stdout);
        Assert.Contains("gateway-reached", run.Stdout, StringComparison.Ordinal);
        node.AssertNoVethLinks();
        Assert.DoesNotContain("30080", node.Exec("nft", "list", "ruleset").Stdout, StringComparison.Ordinal);
        Assert.Empty(node.ReservedAddresses());
    }

    /// <summary>
    /// Upstream's bridge conflist (ipsToRouteViaHost, portmap chained) under podman: the container reaches NodeLocal
    /// DNS's address on the node and the gateway, and the rule goes with the container.
    /// </summary>
    [EndToEndFact]
    public void Podman_runs_the_upstream_bridge_conflist_and_reaches_the_node_local_address()
    {
        Assert.True(Missing is null, Missing);
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 4);
        SimNode node = bed.Nodes[0];
        Shell.Check(["ip", "-n", node.Namespace, "addr", "add", NetworkConfigs.NodeLocalDns + "/32", "dev", "lo"]);
        var podman = PodmanSetup.Prepare(node, NetworkConfigs.UpstreamBridge());
        string script =
            $"mount -t cgroup2 none /sys/fs/cgroup && exec {podman.Command}" +
            " run --rm --cgroups=disabled --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network azure" +
            $" --rootfs {podman.Rootfs} /bin/busybox sh -c 'ping -c 1 -W 2 {NetworkConfigs.NodeLocalDns} && echo node-local-reached;" +
            $" ping -c 1 -W 2 {SimulatedAzure.Gateway} && echo gateway-reached'";

        CommandResult run = podman.Run(node, script);

        Assert.True(run.Succeeded, $"podman run failed: {run}");
        Assert.Contains("node-local-reached", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("gateway-reached", run.Stdout, StringComparison.Ordinal);
        node.AssertNoVethLinks();
        Assert.DoesNotContain("azure-cni-via-host", node.Exec("nft", "list", "tables").Stdout, StringComparison.Ordinal);
        Assert.Empty(node.ReservedAddresses());
    }

    /// <summary>Upstream's transparent-tunnel conflist under podman: a container reaches another of its node; rm takes the node's tunnel rule along.</summary>
    [EndToEndFact]
    public void Podman_runs_the_upstream_transparent_tunnel_conflist_pod_to_pod()
    {
        Assert.True(Missing is null, Missing);
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 4);
        SimNode node = bed.Nodes[0];
        var podman = PodmanSetup.Prepare(node, NetworkConfigs.UpstreamTransparentTunnel());
        string p = podman.Command, bb = "/bin/busybox", limits = "--cgroups=disabled --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network azure";
        string script = string.Join('\n',
            "set -e",
            "mount -t cgroup2 none /sys/fs/cgroup",
            $"{p} run -d --name a {limits} --rootfs {podman.Rootfs} {bb} sleep 600 >/dev/null",
            $"ip=$({p} exec a {bb} ip -4 -o addr show dev eth0 | {bb} awk '{{print $4}}' | {bb} cut -d/ -f1)",
            "echo \"a: $ip\"",
            $"{p} run --rm {limits} --rootfs {podman.Rootfs} {bb} ping -c 1 -W 2 \"$ip\" >/dev/null && echo pod-reached",
            "echo \"rules-while-running: $(ip -4 rule | grep -c 'lookup 101' || true)\"",
            $"{p} rm -f -t 0 a >/dev/null",
            "echo removed");

        CommandResult run = podman.Run(node, script);

        Assert.True(run.Succeeded && run.Stdout.Contains("removed", StringComparison.Ordinal), $"the podman sequence failed: {run}");
        Assert.Matches(@"(?m)^a: 10\.240\.1\.\d+$", run.Stdout);
        Assert.Contains("pod-reached", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^rules-while-running: 1$", run.Stdout);
        node.AssertNoVethLinks();
        Assert.DoesNotContain("lookup 101", node.Exec("ip", "-4", "rule").Stdout, StringComparison.Ordinal);
        Assert.Empty(node.ReservedAddresses());
    }

    /// <summary>podman's directories, containers.conf and network config inside the node's directory.</summary>
    private sealed record PodmanSetup(string Directory, string ContainersConf, string Rootfs)
    {
        public string Command => $"podman --root {Directory}/storage --runroot {Directory}/run --tmpdir {Directory}/tmp";

        public static PodmanSetup Prepare(SimNode node, string conflist)
        {
            string podman = Path.Combine(node.Directory, "podman");
            string confDir = Path.Combine(podman, "cni");
            string rootfs = Path.Combine(podman, "rootfs");
            System.IO.Directory.CreateDirectory(confDir);
            MakeBusyboxRootfs(rootfs);
            File.WriteAllText(Path.Combine(confDir, "azure.conflist"), conflist);
            string containersConf = Path.Combine(podman, "containers.conf");
            File.WriteAllText(containersConf, $$"""
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["{{Requirements.BinDir}}", "{{Repository.ReferencePluginDir}}"]
                network_config_dir = "{{confDir}}"
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                env = [{{string.Join(", ", node.PluginEnvironment.Select(e => $"\"{e.Key}={e.Value}\""))}}]
                """);
            return new PodmanSetup(podman, containersConf, rootfs);
        }

        public CommandResult Run(SimNode node, string script) => Shell.Run(
            ["ip", "netns", "exec", node.Namespace, "sh", "-c", script],
            new Dictionary<string, string>(node.PluginEnvironment) { ["CONTAINERS_CONF"] = ContainersConf },
            TimeSpan.FromMinutes(3));
    }

    private static void MakeBusyboxRootfs(string rootfs)
    {
        foreach (string dir in new[] { "bin", "proc", "sys", "dev", "etc", "tmp" })
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        foreach (string applet in new[] { "sh", "ip", "ping", "sleep" })
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
    }
}
