using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AzureCni.Ipam.Tests.Support;

/// <summary>The outcome of one direct run of the plugin binary.</summary>
public sealed record PluginOutcome(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>The CNI error code, or 0 when the run succeeded.</summary>
    public int ErrorCode => ExitCode == 0 ? 0 : Json.GetProperty("code").GetInt32();

    public string Message => ExitCode == 0 ? "" : Json.GetProperty("msg").GetString() ?? "";

    /// <summary>ips[0].address of an ADD result.</summary>
    public string Address => Json.GetProperty("ips")[0].GetProperty("address").GetString()!;

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the plugin binary the way a runtime does: CNI_* variables and the config on stdin.</summary>
public sealed class PluginRun(PluginBinaryFixture binary, string stateDir)
{
    public string StateDir => stateDir;

    public PluginOutcome Invoke(string command, string config, string containerId = "", string ifName = "eth0")
    {
        using var process = Start(command, config, containerId, ifName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"{command} {containerId} hung");
        }

        return new PluginOutcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the plugin and writes the config; the caller waits (or kills).</summary>
    public Process Start(string command, string config, string containerId = "", string ifName = "eth0")
    {
        var psi = new ProcessStartInfo(binary.PluginPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["CNI_COMMAND"] = command;
        psi.Environment["CNI_CONTAINERID"] = containerId;
        psi.Environment["CNI_NETNS"] = command is "ADD" or "CHECK" ? "/var/run/netns/azcni-test-unused" : "";
        psi.Environment["CNI_IFNAME"] = ifName;
        psi.Environment["CNI_PATH"] = binary.PluginDir;
        psi.Environment["AZURE_CNI_STATE_DIR"] = stateDir;
        psi.Environment["AZURE_CNI_LOG_DIR"] = stateDir; // never the machine's /var/log
        var process = Process.Start(psi)!;
        try
        {
            process.StandardInput.Write(config);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Killed before it read its stdin.
        }

        return process;
    }

    public static string Config(string ipam, string cniVersion = "1.1.0", string extra = "") =>
        $$"""{"cniVersion":"{{cniVersion}}","name":"azcni-ipam-test","type":"azure-vnet-ipam","ipam":{{ipam}}{{extra}}}""";

    public static string GcConfig(string ipam, params (string ContainerId, string IfName)[] valid)
    {
        var list = new StringBuilder();
        foreach (var (cid, ifName) in valid)
        {
            list.Append(list.Length == 0 ? "" : ",").Append($$"""{"containerID":"{{cid}}","ifname":"{{ifName}}"}""");
        }

        return Config(ipam, extra: $",\"cni.dev/valid-attachments\":[{list}]");
    }
}
