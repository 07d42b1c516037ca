using System.Text.RegularExpressions;

namespace AzureCni.Install.Tests;

/// <summary>
/// `azure-vnet host-check [--fix]`, run only inside network namespaces these tests create (a simulated node of the
/// bed, or a bare namespace):
/// /proc/sys/net and the netfilter tables are per namespace, so the machine's own settings are never read or changed.
/// </summary>
public sealed class HostCheckTests : IDisposable
{
    private readonly List<TestNetns> _namespaces = [];
    private readonly string _work = Repo.TempDir("hc");

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }

    private string NewNamespace()
    {
        var ns = TestNetns.Create("hc");
        _namespaces.Add(ns);
        return ns.Name;
    }

    private static CommandResult In(string ns, string file, params string[] args) =>
        Repo.Run("ip", ["netns", "exec", ns, file, .. args]);

    private CommandResult HostCheck(string ns, params string[] args) =>
        Repo.Run("ip", ["netns", "exec", ns, Requirements.PublishedBinary("azure-vnet")!, "host-check", .. args],
            new Dictionary<string, string>
            {
                ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
                ["AZURE_CNI_STATE_DIR"] = _work,
            });

    private static string Rules(string ns)
    {
        var save = In(ns, "iptables-save");
        Assert.Equal(0, save.ExitCode);
        return string.Join('\n', save.Stdout.Split('\n').Where(l => !l.StartsWith('#')));
    }

    private static int Missing(string output) => Regex.Matches(output, "^MISSING ", RegexOptions.Multiline).Count;

    /// <summary>iptables-save (comments dropped), nft's stateless ruleset and the sysctl: what --fix may change.</summary>
    private static string HostSettings(string ns) => string.Join('\n',
        Rules(ns),
        In(ns, "nft", "-s", "list", "ruleset").Stdout,
        "ip_forward=" + In(ns, "cat", "/proc/sys/net/ipv4/ip_forward").Stdout.Trim());

    [RootFact("azure-vnet", "azure-vnet-ipam")]
    public void AFreshSimulatedNode_MissesAllThree_FixAppliesThem_ASecondFixChangesNothing()
    {
        // The bed's fresh node: a VM image with a hardened firewall default (ip_forward 0, FORWARD policy DROP, no MASQUERADE).
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 1, freshNodes: true);
        string ns = bed.Nodes[0].Namespace;

        var check = HostCheck(ns, "--vnet-cidr", SimulatedAzure.VnetCidr);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Equal(3, Missing(check.Stdout));
        Assert.Contains("net.ipv4.ip_forward = 0", check.Stdout);
        Assert.Contains("policy DROP", check.Stdout);
        Assert.Contains("no MASQUERADE of traffic leaving 10.240.0.0/16", check.Stdout);

        // Host bits in the CIDR are dropped: the rule names the network.
        var fix = HostCheck(ns, "--fix", "--vnet-cidr", "10.240.0.4/16");
        Assert.True(fix.ExitCode == 0, fix.ToString());
        Assert.Equal(3, Regex.Matches(fix.Stdout, "^fixed ", RegexOptions.Multiline).Count);
        Assert.Equal(0, Missing(fix.Stdout));
        Assert.Equal("1", In(ns, "cat", "/proc/sys/net/ipv4/ip_forward").Stdout.Trim());

        string rules = Rules(ns);
        Assert.Contains("-A FORWARD -j ACCEPT", rules);
        Assert.Contains("-A POSTROUTING ! -d 10.240.0.0/16 -m addrtype ! --dst-type LOCAL -j MASQUERADE", rules);

        string settings = HostSettings(ns);
        var again = HostCheck(ns, "--fix", "--vnet-cidr", SimulatedAzure.VnetCidr);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("fixed", again.Stdout);
        Assert.Equal(settings, HostSettings(ns));

        var report = HostCheck(ns, "--vnet-cidr", SimulatedAzure.VnetCidr);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal(0, Missing(report.Stdout));
        Assert.Contains("the host is ready", report.Stdout);
    }

    [RootFact("azure-vnet", "azure-vnet-ipam")]
    public void TheBedPreparesItsNodes_WithHostCheckFix_MasqueradeExemptingTheVnet()
    {
        using SimulatedAzure bed = SimulatedAzure.Start(nodes: 1, secondaries: 1);
        string ns = bed.Nodes[0].Namespace;

        var report = HostCheck(ns, "--vnet-cidr", SimulatedAzure.VnetCidr);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Matches("(?m)^ok +forward-chain +policy DROP, first rule -j ACCEPT", report.Stdout);

        // Exactly the seed's rules, once: traffic inside the VNet (pod to pod, the fabric's port-mapping clients) keeps its source.
        string rules = Rules(ns);
        Assert.Single(Regex.Matches(rules, "^-A FORWARD ", RegexOptions.Multiline));
        Assert.Single(Regex.Matches(rules, "^-A POSTROUTING ", RegexOptions.Multiline));
        Assert.Contains("-A POSTROUTING ! -d 10.240.0.0/16 -m addrtype ! --dst-type LOCAL -j MASQUERADE", rules);
    }

    /// <summary>The seed: "If default policy of FORWARD chain in filter table is ACCEPT ignore this step".</summary>
    [RootFact("azure-vnet")]
    public void ANamespaceWhoseForwardPolicyAccepts_MissesTwo_AndGetsNoForwardRule()
    {
        string ns = NewNamespace();
        // A new namespace may inherit the machine's ip_forward: start from 0 whatever the machine has.
        Assert.Equal(0, In(ns, "sh", "-c", "echo 0 > /proc/sys/net/ipv4/ip_forward").ExitCode);
        var check = HostCheck(ns, "--vnet-cidr", "10.240.0.0/16");
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Equal(2, Missing(check.Stdout));
        Assert.Matches("(?m)^ok +forward-chain +policy ACCEPT", check.Stdout);

        var fix = HostCheck(ns, "--fix", "--vnet-cidr", "10.240.0.0/16");
        Assert.True(fix.ExitCode == 0, fix.ToString());
        Assert.DoesNotContain("-A FORWARD", Rules(ns)); // nothing added where the policy already accepts
    }

    [RootFact("azure-vnet", "azure-vnet-ipam")]
    public void TheVnetAddressSpace_DefaultsToTheSubnetsInTheIpamState()
    {
        string ns = NewNamespace();
        var none = HostCheck(ns);
        Assert.True(none.ExitCode == 1, none.ToString());
        Assert.Contains("pass --vnet-cidr", none.Stdout);

        // Two pools of one VNet: the rule covers both with their common prefix.
        foreach (var (network, subnet) in new[] { ("a", "10.240.0.0/24"), ("b", "10.240.1.0/24") })
        {
            var add = Repo.Run(Requirements.PublishedBinary("azure-vnet-ipam")!, [], new Dictionary<string, string>
            {
                ["CNI_COMMAND"] = "ADD",
                ["CNI_CONTAINERID"] = "c-" + network,
                ["CNI_NETNS"] = "/var/run/netns/x",
                ["CNI_IFNAME"] = "eth0",
                ["CNI_PATH"] = "/nonexistent",
                ["AZURE_CNI_STATE_DIR"] = _work,
                ["AZURE_CNI_LOG_DIR"] = _work,
            }, $$$"""{"cniVersion":"1.0.0","name":"{{{network}}}","type":"bridge","ipam":{"type":"azure-vnet-ipam","environment":"local","subnet":"{{{subnet}}}"}}""");
            Assert.True(add.ExitCode == 0, add.ToString());
        }

        var fix = HostCheck(ns, "--fix");
        Assert.True(fix.ExitCode == 0, fix.ToString());
        Assert.Contains("-A POSTROUTING ! -d 10.240.0.0/23 -m addrtype ! --dst-type LOCAL -j MASQUERADE", Rules(ns));
    }

    [BinaryFact("azure-vnet")]
    public void BadArguments_ExitTwo()
    {
        var bad = Repo.Run(Requirements.PublishedBinary("azure-vnet")!, ["host-check", "--vnet-cidr", "fe80::/64"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not an IPv4 CIDR", bad.Stdout);
        Assert.Equal(2, Repo.Run(Requirements.PublishedBinary("azure-vnet")!, ["host-check", "--frobnicate"]).ExitCode);
    }
}
