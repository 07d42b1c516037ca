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
        string[] inside = inNetns is null ? [] : ["ip", "netns", "exec", inNetns];
        CommandResult result = Shell.Run(
            [.. inside, Repository.LibcniClient, "-conflist", ConflistPath, "-netns", netns, "-cid", containerId, "-cache-dir", CacheDir, "-cni-path", binary.PluginDir + ":" + Repository.ReferencePluginDir, "-timeout", "60s", command],
            new Dictionary<string, string>
            {
                ["AZURE_CNI_STATE_DIR"] = stateDir,
                ["AZURE_CNI_LOG_DIR"] = stateDir, // never the machine's /var/log
            },
            TimeSpan.FromSeconds(90));
        return new PluginOutcome(result.ExitCode, result.Stdout, result.Stderr);
    }
}
