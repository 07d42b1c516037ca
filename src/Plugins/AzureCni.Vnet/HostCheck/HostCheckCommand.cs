using System.Net;
using System.Text;
using AzureCni.Cni.Hosting;

namespace AzureCni.Vnet.HostCheck;

/// <summary>
/// `azure-vnet host-check [--fix] [--vnet-cidr CIDR]`: the host settings a node outside AKS needs (the seed README's
/// "Using CNI in Non-AKS Environment"): IPv4 forwarding on, the FORWARD chain passing traffic, and outbound
/// masquerade for everything that leaves the VNet address space. Reports each; exits 1 while any is missing,
/// 2 on a usage or run-time error. `--fix` applies the missing ones, idempotently, and checks again.
/// </summary>
public static class HostCheckCommand
{
    public const string Argument = "host-check";
    private const string IpForwardPath = "/proc/sys/net/ipv4/ip_forward";

    private sealed record Finding(string Name, bool Ok, string Detail, Action? Fix);

    public static int Main(string[] args)
    {
        var output = new StringBuilder();
        int code = Run(args, CniInvocation.FromProcess(args, "azure-vnet").Environment, output);
        StandardStreams.WriteOutput(Encoding.UTF8.GetBytes(output.ToString()));
        return code;
    }

    public static int Run(string[] args, IReadOnlyDictionary<string, string> env, StringBuilder output)
    {
        bool fix = false;
        string? cidrText = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fix":
                    fix = true;
                    break;
                case "--vnet-cidr" when i + 1 < args.Length:
                    cidrText = args[++i];
                    break;
                case "-h" or "--help":
                    output.Append("usage: azure-vnet host-check [--fix] [--vnet-cidr CIDR]\n")
                        .Append("  checks net.ipv4.ip_forward, the FORWARD chain and outbound MASQUERADE for the VNet address space\n")
                        .Append("  (default: the subnets in azure-vnet-ipam's state file); --fix applies what is missing\n");
                    return 0;
                default:
                    output.Append($"host-check: unknown argument {args[i]} (see --help)\n");
                    return 2;
            }
        }

        IPNetwork? vnet;
        string vnetSource;
        if (cidrText is not null)
        {
            if (!VnetAddressSpace.TryParse(cidrText, out var parsed))
            {
                output.Append($"host-check: --vnet-cidr {cidrText} is not an IPv4 CIDR\n");
                return 2;
            }

            vnet = parsed;
            vnetSource = "given by --vnet-cidr";
        }
        else
        {
            vnet = VnetAddressSpace.FromIpamState(out string statePath);
            vnetSource = statePath;
        }

        var iptables = Iptables.Find(env);
        if (iptables is null)
        {
            output.Append("host-check: iptables not found in $PATH (install the iptables package)\n");
            return 2;
        }

        try
        {
            var findings = Inspect(iptables, vnet, vnetSource);
            if (fix && findings.Exists(f => !f.Ok))
            {
                foreach (var finding in findings.FindAll(f => !f.Ok && f.Fix is not null))
                {
                    finding.Fix!();
                    output.Append($"fixed    {finding.Name}\n");
                }

                findings = Inspect(iptables, vnet, vnetSource);
            }

            foreach (var f in findings)
            {
                output.Append($"{(f.Ok ? "ok" : "MISSING"),-8} {f.Name,-16} {f.Detail}\n");
            }

            int missing = findings.FindAll(f => !f.Ok).Count;
            output.Append(missing == 0 ? "host-check: the host is ready\n" : $"host-check: {missing} setting(s) missing{(fix ? "" : "; rerun with --fix to apply them")}\n");
            return missing == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Cni.CniException)
        {
            output.Append($"host-check: {e.Message}\n");
            return 2;
        }
    }

    private static List<Finding> Inspect(Iptables iptables, IPNetwork? vnet, string vnetSource)
    {
        var findings = new List<Finding>(3);

        // /proc/sys/net is the calling process's network namespace: the node's, or a test's.
        string forwarding = File.ReadAllText(IpForwardPath).Trim();
        findings.Add(new Finding(
            "ip-forward",
            forwarding == "1",
            $"net.ipv4.ip_forward = {forwarding}",
            () => File.WriteAllText(IpForwardPath, "1\n")));

        var forward = iptables.ListRules("filter", "FORWARD");
        string policy = forward.FirstOrDefault(l => l.StartsWith("-P FORWARD ", StringComparison.Ordinal))?["-P FORWARD ".Length..] ?? "?";
        string? firstRule = forward.FirstOrDefault(l => l.StartsWith("-A FORWARD ", StringComparison.Ordinal));
        bool leadingAccept = firstRule is not null && Iptables.RuleMatches(firstRule, "FORWARD", ["-j", "ACCEPT"]);
        findings.Add(new Finding(
            "forward-chain",
            policy == "ACCEPT" || leadingAccept,
            leadingAccept ? $"policy {policy}, first rule -j ACCEPT" : $"policy {policy}",
            () => iptables.Run(["-w", "5", "-t", "filter", "-I", "FORWARD", "1", "-j", "ACCEPT"])));

        if (vnet is not { } space)
        {
            findings.Add(new Finding(
                "masquerade",
                false,
                $"VNet address space unknown (no IPv4 subnet in {vnetSource}): pass --vnet-cidr",
                null));
            return findings;
        }

        string cidr = space.ToString();
        string[] tokens = ["!", "-d", cidr, "-m", "addrtype", "!", "--dst-type", "LOCAL", "-j", "MASQUERADE"];
        bool present = iptables.ListRules("nat", "POSTROUTING").Any(l => Iptables.RuleMatches(l, "POSTROUTING", tokens));
        findings.Add(new Finding(
            "masquerade",
            present,
            $"{(present ? "" : "no ")}MASQUERADE of traffic leaving {cidr} ({(vnetSource.StartsWith('/') ? "subnets in " : "")}{vnetSource})",
            () => iptables.Run(["-w", "5", "-t", "nat", "-A", "POSTROUTING", "-m", "addrtype", "!", "--dst-type", "LOCAL", "!", "-d", cidr, "-j", "MASQUERADE"])));
        return findings;
    }
}
