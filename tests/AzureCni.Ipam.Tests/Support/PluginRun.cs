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

    /// <summary>Every ips[].address of an ADD result, in order (IPv4 then IPv6 on a dual-stack node).</summary>
    public string[] Addresses => Json.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!).ToArray();

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the plugin binary the way a runtime does: CNI_* variables and the config on stdin.</summary>
public sealed class PluginRun(PluginBinaryFixture binary, string stateDir)
{
    public string StateDir => stateDir;

    public PluginOutcome Invoke(string command, string config, string containerId = "", string ifName = "eth0")
    {
        CommandResult result = Shell.Run([binary.PluginPath], Environment(command, containerId, ifName), stdin: config);
        return new PluginOutcome(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>As <see cref="Invoke"/>, run inside the network namespace <paramref name="netns"/> (a simulated node).</summary>
    public PluginOutcome InvokeIn(string netns, string command, string config, string containerId = "")
    {
        CommandResult result = Shell.Run(["ip", "netns", "exec", netns, binary.PluginPath], Environment(command, containerId, "eth0"), stdin: config);
        return new PluginOutcome(result.ExitCode, result.Stdout, result.Stderr);
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
        foreach ((string key, string value) in Environment(command, containerId, ifName))
            psi.Environment[key] = value;

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

    /// <summary>What a runtime sets for the plugin, with its state and logs in the test's directory.</summary>
    private Dictionary<string, string> Environment(string command, string containerId, string ifName) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = command is "ADD" or "CHECK" ? "/var/run/netns/azcni-test-unused" : "",
        ["CNI_IFNAME"] = ifName,
        ["CNI_PATH"] = binary.PluginDir,
        ["AZURE_CNI_STATE_DIR"] = stateDir,
        ["AZURE_CNI_LOG_DIR"] = stateDir, // never the machine's /var/log
        ["AZURE_CNI_CNI_CACHE_DIR"] = System.IO.Path.Combine(stateDir, "cni-cache"), // never the machine's /var/lib/cni
    };

    public static string Config(string ipam, string cniVersion = "1.1.0", string extra = "") =>
        $$"""{"cniVersion":"{{cniVersion}}","name":"azcni-ipam-test","type":"azure-vnet-ipam","ipam":{{ipam}}{{extra}}}""";

    public static string GcConfig(string ipam, params (string ContainerId, string IfName)[] valid)
    {
        var list = new StringBuilder();
        foreach (var (cid, ifName) in valid)
            list.Append(list.Length == 0 ? "" : ",").Append($$"""{"containerID":"{{cid}}","ifname":"{{ifName}}"}""");

        return Config(ipam, extra: $",\"cni.dev/valid-attachments\":[{list}]");
    }
}
