namespace AzureCni.Ipam.Tests.Support;

/// <summary>A network namespace the test creates (azcni-test-*) and deletes on dispose, even after a failure.</summary>
public sealed class TestNetns : IDisposable
{
    public TestNetns(string role)
    {
        Name = $"azcni-test-{Guid.NewGuid().ToString("N")[..8]}-{role}";
        Ip("netns", "add", Name);
        Exec("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    public string Path => "/var/run/netns/" + Name;

    /// <summary>Runs a command inside the namespace; returns exit code and combined output.</summary>
    public (int Code, string Output) Exec(params string[] command) =>
        Run("ip", ["netns", "exec", Name, .. command]);

    public void Dispose() => Run("ip", ["netns", "del", Name]);

    private static void Ip(params string[] args)
    {
        var (code, output) = Run("ip", args);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {output}");
        }
    }

    private static (int Code, string Output) Run(string file, string[] args)
    {
        CommandResult result = Shell.Run([file, .. args]);
        return (result.ExitCode, result.Output);
    }
}
