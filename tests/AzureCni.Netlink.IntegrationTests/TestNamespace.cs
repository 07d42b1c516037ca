using System.Text.Json;

namespace AzureCni.Netlink.IntegrationTests;

/// <summary>
/// A throwaway namespace <c>azcni-nl-RANDOM</c> (<see cref="TestNetns"/>, always deleted on Dispose) with an
/// rtnetlink handle inside it. Tests inspect it with <c>ip -j -n NAME ...</c>; only the tests spawn processes,
/// never the library.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private readonly TestNetns _netns;

    private TestNamespace(TestNetns netns)
    {
        _netns = netns;
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

    public string Name => _netns.Name;

    public string Path => _netns.Path;

    public NetworkNamespace Namespace { get; } = null!;

    public RouteNetlink Netlink { get; } = null!;

    public static TestNamespace Create() => new(TestNetns.Create("nl"));

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
    public string Exec(params string[] args) => Checked(_netns.Exec(args), args);

    public int IndexOf(string device) => Netlink.GetLink(device).Index;

    public void Dispose()
    {
        Netlink?.Dispose();
        Namespace?.Dispose();
        _netns.Dispose();
    }

    public static string Run(params string[] args) => Checked(Shell.Run(args), args);

    private static string Checked(CommandResult result, string[] args) =>
        result.Succeeded
            ? result.Stdout
            : throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({result.ExitCode}): {result.Stderr}");
}
