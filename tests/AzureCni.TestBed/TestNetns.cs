namespace AzureCni.TestBed;

/// <summary>
/// A throwaway network namespace, <c>azcni-&lt;purpose&gt;-&lt;random&gt;</c>, made with <c>ip netns add</c> and deleted on
/// Dispose, even after a failure. Privileged tests work only inside namespaces like this (or the simulated bed's),
/// never in the machine's own.
/// </summary>
public sealed class TestNetns : IDisposable
{
    private TestNetns(string name) => Name = name;

    public string Name { get; }

    /// <summary>The path a runtime passes as CNI_NETNS.</summary>
    public string Path => PathOf(Name);

    public static string PathOf(string name) => "/var/run/netns/" + name;

    /// <summary>Creates <c>azcni-&lt;purpose&gt;-&lt;8 hex&gt;</c>, with <c>lo</c> up when asked.</summary>
    public static TestNetns Create(string purpose, bool loopbackUp = false) =>
        CreateNamed($"azcni-{purpose}-{Guid.NewGuid().ToString("N")[..8]}", loopbackUp);

    /// <summary>Creates a namespace of exactly this name (a bed that names its namespaces after its own id).</summary>
    public static TestNetns CreateNamed(string name, bool loopbackUp = false)
    {
        Shell.Check(["ip", "netns", "add", name]);
        var ns = new TestNetns(name);
        if (loopbackUp)
        {
            try
            {
                Shell.Check(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"]);
            }
            catch
            {
                ns.Dispose();
                throw;
            }
        }

        return ns;
    }

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>).</summary>
    public CommandResult Exec(params string[] args) => Shell.Run(["ip", "netns", "exec", Name, .. args]);

    /// <summary>The same with a chosen environment (the command sees only it) and timeout.</summary>
    public CommandResult Exec(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout = null) =>
        Shell.Run(["ip", "netns", "exec", Name, .. args], environment, timeout, inheritEnvironment: environment is null);

    public void Dispose() => Shell.Run(["ip", "netns", "del", Name]);
}
