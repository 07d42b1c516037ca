using System.Text;
using System.Text.Json;
using AzureCni.Cni.Types;
using AzureCni.Json;

namespace AzureCni.Cni.Delegation;

/// <summary>
/// Delegation to another plugin (in practice the IPAM plugin) per SPEC §4: found on CNI_PATH, run with the same
/// environment (CNI_COMMAND set to the delegated command) and the complete network config on stdin, its stderr
/// passed through, its errors propagated as they are.
/// </summary>
public static class CniDelegate
{
    /// <summary>ADD on the delegate. If it fails, or answers something unreadable, it is DELeted before the error is thrown.</summary>
    public static CniResult Add(string type, CniRequest request) => Add(type, request, request.StdinData.Span);

    public static CniResult Add(string type, CniRequest request, ReadOnlySpan<byte> config)
    {
        string path = PluginProcess.Find(type, request.CniPath);
        var exit = PluginProcess.Run(path, EnvironmentFor(request, CniCommand.Add), config);
        try
        {
            ThrowIfFailed(type, CniCommand.Add, exit);
            AnyResult doc;
            try
            {
                doc = CniJson.Parse<AnyResult>(exit.Stdout);
            }
            catch (JsonException e)
            {
                throw new CniException(CniErrorCode.DecodingFailure, $"delegated plugin \"{type}\" ADD returned an unreadable result: {e.Message}", Excerpt(exit.Stdout));
            }

            return CniResultConverter.FromDocument(doc, request.Version.ToVersionString(), $"delegated plugin \"{type}\" result");
        }
        catch (CniException)
        {
            // The delegate may have allocated before failing; nothing else will ever release it (SPEC §4).
            TryDelete(type, request, config);
            throw;
        }
    }

    public static void Delete(string type, CniRequest request) => Run(type, CniCommand.Del, request, request.StdinData.Span);

    public static void Check(string type, CniRequest request) => Run(type, CniCommand.Check, request, request.StdinData.Span);

    public static void GarbageCollect(string type, CniRequest request) => Run(type, CniCommand.Gc, request, request.StdinData.Span);

    public static void Status(string type, CniRequest request) => Run(type, CniCommand.Status, request, request.StdinData.Span);

    /// <summary>Runs a command that prints nothing on success; a failure is rethrown with the delegate's code.</summary>
    public static void Run(string type, CniCommand command, CniRequest request, ReadOnlySpan<byte> config)
    {
        string path = PluginProcess.Find(type, request.CniPath);
        var exit = PluginProcess.Run(path, EnvironmentFor(request, command), config);
        ThrowIfFailed(type, command, exit);
    }

    /// <summary>DEL that never throws: cleanup after a failure must not hide the original error.</summary>
    public static bool TryDelete(string type, CniRequest request, ReadOnlySpan<byte> config)
    {
        try
        {
            Run(type, CniCommand.Del, request, config);
            return true;
        }
        catch (CniException)
        {
            return false;
        }
    }

    /// <summary>The invocation's environment with CNI_COMMAND replaced.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentFor(CniRequest request, CniCommand command)
    {
        yield return new("CNI_COMMAND", CniVersion.CommandName(command));
        foreach (var pair in request.Environment)
        {
            if (pair.Key != "CNI_COMMAND")
            {
                yield return pair;
            }
        }
    }

    private static void ThrowIfFailed(string type, CniCommand command, Processes.ProcessExit exit)
    {
        if (exit.Succeeded)
        {
            return;
        }

        string what = $"delegated plugin \"{type}\" {CniVersion.CommandName(command)}";
        ErrorDoc? error = null;
        if (exit.Stdout.Length > 0)
        {
            try
            {
                error = CniJson.Parse<ErrorDoc>(exit.Stdout);
            }
            catch (JsonException)
            {
            }
        }

        string status = exit.Signal != 0 ? $"killed by signal {exit.Signal}" : $"exit status {exit.ExitCode}";
        if (error is null || (error.Code == 0 && error.Message.Length == 0))
        {
            throw new CniException(CniErrorCode.Runtime, $"{what} failed ({status})", Excerpt(exit.Stdout));
        }

        // The delegate's own code, message and details, as libcni's invoke propagates them.
        throw new CniException((CniErrorCode)error.Code, error.Message, error.Details);
    }

    private static string? Excerpt(byte[] stdout)
    {
        if (stdout.Length == 0)
        {
            return null;
        }

        const int max = 512;
        return "output: " + Encoding.UTF8.GetString(stdout, 0, Math.Min(stdout.Length, max)) + (stdout.Length > max ? "..." : "");
    }
}
