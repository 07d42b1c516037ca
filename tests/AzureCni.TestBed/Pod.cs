using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AzureCni.TestBed;

/// <summary>A pod: its own network namespace, the node whose plugins attach it, and what ADD gave it.</summary>
public sealed class Pod(SimNode node, string ns)
{
    public SimNode Node { get; } = node;

    public string Namespace { get; } = ns;

    public string NetnsPath => "/var/run/netns/" + Namespace;

    /// <summary>A 64-hex-digit ID, as container runtimes make them.</summary>
    public string ContainerId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The address the last ADD returned.</summary>
    public IPAddress? Address { get; set; }

    public string Ip => Address?.ToString() ?? throw new InvalidOperationException($"{Namespace} has no address: ADD it first");

    /// <summary>The pod's IPv6 address when the ADD gave it one (a dual-stack network).</summary>
    public IPAddress? Address6 { get; set; }

    public string Ip6 => Address6?.ToString() ?? throw new InvalidOperationException($"{Namespace} has no IPv6 address");

    public CommandResult Exec(params string[] args) => Shell.Run(["ip", "netns", "exec", Namespace, .. args]);

    public bool Reaches(string address) => Exec(Ping.Once(address)).Succeeded;

    /// <summary>The global addresses of a family the pod's eth0 holds, as its namespace shows them.</summary>
    public string[] HeldAddresses(AddressFamily family)
    {
        bool v6 = family == AddressFamily.InterNetworkV6;
        string shown = Exec("ip", v6 ? "-6" : "-4", "-o", "addr", "show", "dev", "eth0", "scope", "global").Stdout;
        return Regex.Matches(shown, v6 ? @"inet6 ([0-9a-f:]+)/" : @"inet ([\d.]+)/").Select(m => m.Groups[1].Value).ToArray();
    }

    public override string ToString() => $"{Namespace} ({Address})";
}
