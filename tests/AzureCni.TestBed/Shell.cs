using System.Diagnostics;

namespace AzureCni.TestBed;

/// <summary>What a finished command left behind.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Stdout then stderr, for tests that look for a message wherever the command printed it.</summary>
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// The tests' one process runner (ip, nft, the simnet and install scripts, the plugins, the libcni client):
/// arguments without a shell, stdin written and closed, stdout and stderr read whole. Only the tests spawn processes.
/// </summary>
public static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <c>args[0]</c> with the rest as its arguments. <paramref name="environment"/> is added to this process's
    /// environment, or with <paramref name="inheritEnvironment"/> false is the whole of it. A command still running
    /// after <paramref name="timeout"/> is killed with its children and throws: a hang is never an outcome a test expects.
    /// </summary>
    public static CommandResult Run(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        string? stdin = null,
        string? workingDirectory = null,
        bool inheritEnvironment = true) =>
        Run(args, environment, timeout, stdin is null ? null : System.Text.Encoding.UTF8.GetBytes(stdin), workingDirectory, inheritEnvironment);

    /// <summary><see cref="Run(IReadOnlyList{string}, IReadOnlyDictionary{string, string}?, TimeSpan?, string?, string?, bool)"/> with stdin as raw bytes.</summary>
    public static CommandResult Run(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan? timeout,
        byte[]? stdin,
        string? workingDirectory = null,
        bool inheritEnvironment = true)
    {
        var start = new ProcessStartInfo(args[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        for (int i = 1; i < args.Count; i++)
            start.ArgumentList.Add(args[i]);
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        if (!inheritEnvironment)
            start.Environment.Clear();
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
                start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command stopped reading (a plugin refusing stdin over its limit): that is its right.
        }

        TimeSpan patience = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(patience))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{string.Join(' ', args)}` did not finish in {patience}; killed.\nstdout: {stdout.Result}\nstderr: {stderr.Result}");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a command that must succeed; its failure fails the test with everything it printed.</summary>
    public static string Check(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        CommandResult result = Run(args, environment, timeout);
        if (!result.Succeeded)
            throw new InvalidOperationException($"`{string.Join(' ', args)}` failed: {result}");
        return result.Stdout;
    }
}

/// <summary>The tests' reachability probe.</summary>
public static class Ping
{
    /// <summary>
    /// <c>ping</c>'s arguments for one answered echo: a request a second until one is answered or 4 s pass (<c>-w</c>),
    /// so a first request lost while neighbour resolution runs on a loaded machine is not a failed test, and a path
    /// that is really broken still fails.
    /// </summary>
    public static string[] Once(string address) => ["ping", "-c", "1", "-w", "4", address];
}
