using System.Text;
using AzureCni.Cni.Collections;
using AzureCni.Cni.Delegation;

namespace AzureCni.Vnet.HostCheck;

/// <summary>
/// The iptables binary, run through <see cref="AzureCni.Cni.Processes.ChildProcess"/> (posix_spawn). Only host-check uses it, which is
/// not on the ADD/DEL path; the data path programs netfilter in-process.
/// </summary>
internal sealed class Iptables(string path, IReadOnlyDictionary<string, string> environment)
{
    public string Path => path;

    /// <summary>Finds iptables in $PATH, then in the usual sbin directories.</summary>
    public static Iptables? Find(IReadOnlyDictionary<string, string> environment)
    {
        string searchPath = environment.GetValueOrDefault("PATH") ?? "";
        foreach (string dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            string candidate = System.IO.Path.Combine(dir, "iptables");
            if (File.Exists(candidate))
            {
                return new Iptables(candidate, environment);
            }
        }

        return null;
    }

    /// <summary>`iptables -t TABLE -S CHAIN`, one rule spec per line.</summary>
    public IReadOnlyList<string> ListRules(string table, string chain) =>
        Run(["-w", "5", "-t", table, "-S", chain]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs iptables with <paramref name="arguments"/>; throws naming the command when it fails.</summary>
    public string Run(IReadOnlyList<string> arguments)
    {
        var exit = AzureCni.Cni.Processes.ChildProcess.Run(path, arguments, environment, default);
        if (!exit.Succeeded)
        {
            throw new InvalidOperationException($"{path} {string.Join(' ', arguments)} failed with exit code {exit.ExitCode}");
        }

        return Encoding.UTF8.GetString(exit.Stdout);
    }

    /// <summary>Whether a rule line of `-S` output holds exactly the given tokens (in any order of its matches).</summary>
    public static bool RuleMatches(string ruleLine, string chain, IReadOnlyList<string> tokens)
    {
        var parts = ruleLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "-A" || parts[1] != chain)
        {
            return false;
        }

        var rest = parts.Skip(2).ToList();
        var expected = tokens.ToList();
        rest.SortStable(string.CompareOrdinal);
        expected.SortStable(string.CompareOrdinal);
        return rest.SequenceEqual(expected, StringComparer.Ordinal);
    }
}
