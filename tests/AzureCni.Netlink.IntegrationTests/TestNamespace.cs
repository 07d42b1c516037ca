using System.Security.Cryptography;
using System.Text.Json;

namespace AzureCni.Netlink.IntegrationTests;

/// <summary>
/// A throwaway network namespace <c>azcni-nl-RANDOM</c>, created with <c>ip netns add</c> and always deleted on
/// Dispose, with an rtnetlink handle inside it. Tests inspect it with <c>ip -j -n NAME ...</c>; only the tests
/// spawn processes, never the library.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private TestNamespace(string name)
    {
        Name = name;
        try
        {
            Namespace = NetworkNamespace.Open(Path);
            Netlink = RouteNetlink.Open(Namespace);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public string Path => "/var/run/netns/" + Name;

    public NetworkNamespace Namespace { get; } = null!;

    public RouteNetlink Netlink { get; } = null!;

    public static TestNamespace Create()
    {
        string name = "azcni-nl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Run("ip", "netns", "add", name);
        return new TestNamespace(name);
    }

    /// <summary>Runs <c>ip -j -n NAME ARGS</c> and parses the JSON it prints.</summary>
    public JsonElement IpJson(params string[] args)
    {
        string output = Run(["ip", "-j", "-n", Name, .. args]);
        using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(output) ? "[]" : output);
        return document.RootElement.Clone();
    }

    /// <summary>The link object <c>ip -j -d link show dev NAME</c> prints.</summary>
    public JsonElement IpLink(string device) => IpJson("-d", "link", "show", "dev", device)[0];

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>).</summary>
    public string Exec(params string[] args) => Run(["ip", "netns", "exec", Name, .. args]);

    public int IndexOf(string device) => Netlink.GetLink(device).Index;

    public void Dispose()
    {
        Netlink?.Dispose();
        Namespace?.Dispose();
        Run("ip", "netns", "del", Name);
    }

    public static string Run(params string[] args)
    {
        CommandResult result = Shell.Run(args);
        if (!result.Succeeded)
            throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({result.ExitCode}): {result.Stderr}");
        return result.Stdout;
    }
}
