namespace AzureCni.Install.Tests;

/// <summary>
/// The DaemonSet cannot run here; these check its structure: the fields the API server and kubelet insist on,
/// and that it installs what the install script installs, where the node's runtime looks for it.
/// </summary>
public sealed class ManifestTests
{
    private static readonly string ManifestPath = Path.Combine(Repository.Root, "deploy/kubernetes/azure-cni-daemonset.yaml");
    private static readonly string DockerfilePath = Path.Combine(Repository.Root, "deploy/Dockerfile");

    private static Dictionary<string, object?> Manifest() => MiniYaml.Parse(File.ReadAllText(ManifestPath));

    private static Dictionary<string, object?> Map(object? value, string what) =>
        value as Dictionary<string, object?> ?? throw new Xunit.Sdk.XunitException(what + " is not a map");

    private static List<object?> List(object? value, string what) =>
        value as List<object?> ?? throw new Xunit.Sdk.XunitException(what + " is not a list");

    private static Dictionary<string, object?> PodSpec() => Map(Map(Map(Manifest()["spec"], "spec")["template"], "template")["spec"], "template.spec");

    private static Dictionary<string, object?> Container() => Map(Assert.Single(List(PodSpec()["containers"], "containers")), "container");

    [Fact]
    public void IsAnAppsV1DaemonSetInKubeSystem()
    {
        var manifest = Manifest();
        Assert.Equal("apps/v1", manifest["apiVersion"]);
        Assert.Equal("DaemonSet", manifest["kind"]);
        var metadata = Map(manifest["metadata"], "metadata");
        Assert.Equal("azure-cni", metadata["name"]);
        Assert.Equal("kube-system", metadata["namespace"]);
        Assert.Equal("RollingUpdate", Map(Map(manifest["spec"], "spec")["updateStrategy"], "updateStrategy")["type"]);
    }

    [Fact]
    public void TheSelector_MatchesThePodTemplateLabels()
    {
        var spec = Map(Manifest()["spec"], "spec");
        var selector = Map(Map(spec["selector"], "selector")["matchLabels"], "matchLabels");
        var labels = Map(Map(Map(spec["template"], "template")["metadata"], "template.metadata")["labels"], "labels");
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector)
        {
            Assert.True(labels.TryGetValue(key, out var label) && Equals(label, value), $"template labels lack {key}: {value}");
        }
    }

    [Fact]
    public void RunsOnEveryNode_BeforeThePodNetworkExists()
    {
        var pod = PodSpec();
        Assert.Equal("true", pod["hostNetwork"]);
        Assert.Equal("system-node-critical", pod["priorityClassName"]);

        // A toleration with operator Exists and no key tolerates every taint.
        Assert.Contains(List(pod["tolerations"], "tolerations").Select(t => Map(t, "toleration")),
            t => Equals(t.GetValueOrDefault("operator"), "Exists") && !t.ContainsKey("key") && !t.ContainsKey("effect"));
    }

    [Fact]
    public void MountsTheHostCniDirectories_WhereTheInstallScriptWritesThem()
    {
        var pod = PodSpec();
        var volumes = List(pod["volumes"], "volumes").Select(v => Map(v, "volume"))
            .ToDictionary(v => (string)v["name"]!, v => (string)Map(v["hostPath"], "hostPath")["path"]!);
        var mounts = List(Container()["volumeMounts"], "volumeMounts").Select(m => Map(m, "volumeMount"))
            .ToDictionary(m => (string)m["name"]!, m => (string)m["mountPath"]!);

        string hostRoot = List(Container()["env"], "env").Select(e => Map(e, "env"))
            .Single(e => Equals(e["name"], "AZURE_CNI_HOST_ROOT"))["value"] as string ?? "";
        Assert.Equal("/host", hostRoot);
        foreach (string hostDir in new[] { "/opt/cni/bin", "/etc/cni/net.d" })
        {
            string volume = Assert.Single(volumes, v => v.Value == hostDir).Key;
            Assert.True(mounts.TryGetValue(volume, out var mountPath), $"volume {volume} ({hostDir}) is not mounted");
            Assert.Equal(hostRoot + hostDir, mountPath); // install-cni-plugin.sh --prefix /host writes /host/opt/cni/bin
        }

        Assert.All(mounts.Keys, name => Assert.True(volumes.ContainsKey(name), $"mount {name} has no volume"));
    }

    [Fact]
    public void TheCommand_IsTheImagesEntryPoint_WhichRunsTheInstallScriptThenSleeps()
    {
        string command = (string)Assert.Single(List(Container()["command"], "command"))!;
        string dockerfile = File.ReadAllText(DockerfilePath);
        Assert.Equal("/azure-cni/install-and-sleep.sh", command);
        Assert.Contains("COPY scripts/install-cni-plugin.sh deploy/install-and-sleep.sh /azure-cni/", dockerfile);
        Assert.Contains("COPY output/azure-vnet-cni-linux-amd64-v${VERSION}.tgz /azure-cni/", dockerfile);

        string entry = File.ReadAllText(Path.Combine(Repository.Root, "deploy/install-and-sleep.sh"));
        Assert.Contains("/azure-cni/install-cni-plugin.sh --prefix \"$HOST\"", entry);
        Assert.Contains("--from \"/azure-cni/azure-vnet-cni-linux-amd64-v${AZURE_CNI_VERSION}.tgz\"", entry);
        Assert.Contains("sleep", entry);
    }

    [Fact]
    public void TheEntryPoint_InstallsIntoAHostRoot_AndKeepsRunning()
    {
        // The image's entry point against a fake /host: it installs, then sleeps until terminated.
        string work = Repo.TempDir("ds");
        try
        {
            string image = Path.Combine(work, "azure-cni");
            string host = Path.Combine(work, "host");
            Directory.CreateDirectory(image);
            Directory.CreateDirectory(Path.Combine(host, "opt/cni/bin"));
            Directory.CreateDirectory(Path.Combine(host, "etc/cni/net.d"));
            string archive = FakeRelease.Create(work, "1.4.2");

            // The entry point hard-codes /azure-cni/; run a copy whose paths point at the test's image directory.
            File.Copy(archive, Path.Combine(image, Path.GetFileName(archive)));
            File.Copy(Repo.InstallScript, Path.Combine(image, "install-cni-plugin.sh"));
            string entry = File.ReadAllText(Path.Combine(Repository.Root, "deploy/install-and-sleep.sh")).Replace("/azure-cni/", image + "/", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(image, "install-and-sleep.sh"), entry);

            var start = new System.Diagnostics.ProcessStartInfo("/bin/sh", [Path.Combine(image, "install-and-sleep.sh")])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.Environment["AZURE_CNI_HOST_ROOT"] = host;
            start.Environment["AZURE_CNI_VERSION"] = "1.4.2";
            using var process = System.Diagnostics.Process.Start(start)!;
            string firstLine = process.StandardOutput.ReadLine() ?? "";
            while (!firstLine.Contains("installed azure-vnet", StringComparison.Ordinal) && !process.HasExited)
            {
                firstLine = process.StandardOutput.ReadLine() ?? "";
            }

            Assert.False(process.HasExited, "the entry point exited instead of sleeping");
            Assert.Contains("v1.4.2", firstLine);
            Assert.True(File.Exists(Path.Combine(host, "opt/cni/bin/azure-vnet")));
            Assert.True(File.Exists(Path.Combine(host, "etc/cni/net.d/10-azure.conflist")));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void MiniYaml_RejectsWhatItDoesNotUnderstand()
    {
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: [1, 2]\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: b\na: c\n"));
        Assert.Throws<FormatException>(() => MiniYaml.Parse("a: b\n   c: d\n"));
        var parsed = MiniYaml.Parse("a:\n  - x: 1\n    y: \"2\"\n  - z\nb: []\n");
        var list = (List<object?>)parsed["a"]!;
        Assert.Equal("2", ((Dictionary<string, object?>)list[0]!)["y"]);
        Assert.Equal("z", list[1]);
    }
}
