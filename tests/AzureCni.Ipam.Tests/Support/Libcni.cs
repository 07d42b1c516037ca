using System.Diagnostics;

namespace AzureCni.Ipam.Tests.Support;

/// <summary>Runs the real libcni client against a conflist, with the plugin's state dir in its environment.</summary>
public sealed class Libcni(PluginBinaryFixture binary, string workDir, string stateDir)
{
    public string ConflistPath => Path.Combine(workDir, "net.conflist");

    public string CacheDir => Path.Combine(workDir, "cache");

    public void WriteConflist(string pluginConfig, string cniVersion = "1.0.0") =>
        File.WriteAllText(ConflistPath, $$"""{"cniVersion":"{{cniVersion}}","name":"azcni-ipam-test","plugins":[{{pluginConfig}}]}""");

    public PluginOutcome Run(string command, string containerId, string netns = "/var/run/netns/azcni-test-unused", string? inNetns = null)
    {
        var psi = new ProcessStartInfo(inNetns is null ? binary.LibcniClient : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (inNetns is not null)
        {
            foreach (string arg in new[] { "netns", "exec", inNetns, binary.LibcniClient })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        foreach (string arg in new[] { "-conflist", ConflistPath, "-netns", netns, "-cid", containerId, "-cache-dir", CacheDir, "-cni-path", binary.PluginDir + ":/usr/lib/cni", "-timeout", "60s", command })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["AZURE_CNI_STATE_DIR"] = stateDir;
        psi.Environment["AZURE_CNI_LOG_DIR"] = stateDir; // never the machine's /var/log
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"libcni-client {command} {containerId} hung");
        }

        return new PluginOutcome(process.ExitCode, stdout.Result, stderr.Result);
    }
}
