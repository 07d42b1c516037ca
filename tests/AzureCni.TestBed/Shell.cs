using System.Diagnostics;

namespace AzureCni.TestBed;

/// <summary>What a finished command left behind.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the test bed's commands (ip, nft, the simnet script, the libcni client). Only the tests spawn processes.</summary>
public static class Shell
{
    public static CommandResult Run(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(args[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        for (int i = 1; i < args.Count; i++)
            start.ArgumentList.Add(args[i]);
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
                start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(-1, stdout.Result, stderr.Result + $"\n(killed after {timeout ?? TimeSpan.FromSeconds(60)})");
        }
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
