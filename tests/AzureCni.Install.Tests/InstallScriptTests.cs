namespace AzureCni.Install.Tests;

/// <summary>scripts/install-cni-plugin.sh against fake release archives under a --prefix (no root needed).</summary>
public sealed class InstallScriptTests : IDisposable
{
    private readonly string _work = Repo.TempDir("inst");
    private readonly string _prefix;

    public InstallScriptTests()
    {
        _prefix = Path.Combine(_work, "root");
        Directory.CreateDirectory(_prefix);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Bin(string name = "") => Path.Combine(_prefix, "opt/cni/bin", name);

    private string Conf(string name = "") => Path.Combine(_prefix, "etc/cni/net.d", name);

    private CommandResult Script(params string[] args) =>
        Repo.Run(Repo.InstallScript, ["--prefix", _prefix, .. args]);

    private CommandResult Install(string archive, params string[] args)
    {
        var result = Script(["--from", archive, .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private string InstalledVersion() => Repo.Run(Bin("azure-vnet"), ["--version"]).Stdout.Trim();

    [Fact]
    public void Install_PlacesPluginsConflistAndLoopback_ThenASecondRunChangesNothing()
    {
        string archive = FakeRelease.Create(_work, "1.2.3");
        Install(archive, "1.2.3");

        Assert.Equal("Azure CNI Version v1.2.3", InstalledVersion());
        foreach (var name in new[] { "azure-vnet", "azure-vnet-ipam" })
        {
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Bin(name)));
        }

        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "config/10-azure.conflist")), File.ReadAllText(Conf("10-azure.conflist")));
        if (File.Exists("/usr/lib/cni/loopback"))
        {
            Assert.Equal(File.ReadAllBytes("/usr/lib/cni/loopback"), File.ReadAllBytes(Bin("loopback")));
        }

        var before = Repo.Tree(_prefix).Select(p => (p, File.GetLastWriteTimeUtc(Path.Combine(_prefix, p)))).ToList();
        var again = Install(archive, "1.2.3");
        Assert.Contains("already installed", again.Stdout);
        Assert.Equal(before, Repo.Tree(_prefix).Select(p => (p, File.GetLastWriteTimeUtc(Path.Combine(_prefix, p)))).ToList());
        Assert.DoesNotContain(Repo.Tree(_prefix), p => p.Contains(".azure-cni-tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Upgrade_KeepsThePreviousVersion_AndRollbackSwapsThemBack()
    {
        Install(FakeRelease.Create(_work, "1.2.3"));
        Install(FakeRelease.Create(_work, "1.2.4"));
        Assert.Equal("Azure CNI Version v1.2.4", InstalledVersion());
        Assert.Contains("v1.2.3", File.ReadAllText(Bin(".azure-cni/previous/azure-vnet")));

        var status = Script("--status");
        Assert.Contains("installed: v1.2.4", status.Stdout);
        Assert.Contains("rollback target: v1.2.3", status.Stdout);

        Assert.True(Script("--rollback").ExitCode == 0);
        Assert.Equal("Azure CNI Version v1.2.3", InstalledVersion());
        Assert.Contains("v1.2.3", File.ReadAllText(Bin("azure-vnet-ipam")));

        // A second rollback rolls forward again.
        Assert.True(Script("--rollback").ExitCode == 0);
        Assert.Equal("Azure CNI Version v1.2.4", InstalledVersion());
    }

    /// <summary>A release of this project whose azure-vnet records a `state export` call (and fails it when asked to).</summary>
    private string OursRecordingExport(string version, int exportExit)
    {
        string stage = Path.Combine(_work, "stage-ours-" + version);
        Directory.CreateDirectory(stage);
        string log = Path.Combine(_work, "export.log");
        File.WriteAllText(Path.Combine(stage, "azure-vnet"), $$"""
            #!/bin/sh
            # reads AZURE_CNI_STATE_DIR
            if [ "$1" = state ]; then echo "$* dir=$AZURE_CNI_STATE_DIR" >>'{{log}}'; exit {{exportExit}}; fi
            echo "Azure CNI Version v{{version}}"
            """);
        File.WriteAllText(Path.Combine(stage, "azure-vnet-ipam"), $"#!/bin/sh\n# AZURE_CNI_STATE_DIR\necho \"Azure CNI Version v{version}\"\n");
        File.SetUnixFileMode(Path.Combine(stage, "azure-vnet"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(stage, "azure-vnet-ipam"), (UnixFileMode)0b111_101_101);
        File.Copy(Path.Combine(Repository.Root, "config", "10-azure.conflist"), Path.Combine(stage, "10-azure.conflist"));
        return FakeRelease.Pack(_work, stage, version);
    }

    [Fact]
    public void RollbackToAnUpstreamRelease_ExportsTheStateInItsFormatFirst_AndNotBetweenOurOwnReleases()
    {
        string log = Path.Combine(_work, "export.log");
        Install(FakeRelease.Create(_work, "1.6.21"));
        Install(OursRecordingExport("2.0.0", exportExit: 0));

        var rollback = Script("--rollback");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal($"state export --format upstream dir={_prefix}/var/run", File.ReadAllText(log).Trim());
        Assert.Equal("Azure CNI Version v1.6.21", InstalledVersion());

        // Rolling forward to ours from upstream exports nothing: ours adopts upstream's files itself.
        Assert.True(Script("--rollback").ExitCode == 0);
        Assert.Single(File.ReadAllLines(log));
        Assert.Equal("Azure CNI Version v2.0.0", InstalledVersion());
    }

    [Fact]
    public void RollbackToAnUpstreamRelease_WhoseExportFails_LeavesOursInstalled()
    {
        Install(FakeRelease.Create(_work, "1.6.21"));
        Install(OursRecordingExport("2.0.1", exportExit: 1));

        var rollback = Script("--rollback");

        Assert.NotEqual(0, rollback.ExitCode);
        Assert.Contains("state export failed", rollback.Stderr, StringComparison.Ordinal);
        Assert.Equal("Azure CNI Version v2.0.1", InstalledVersion());
    }

    [Fact]
    public void UneditedConflist_IsReplaced_EditedOneIsKeptWithTheNewBesideIt()
    {
        string conf1 = """{"cniVersion":"0.3.1","name":"azure","plugins":[{"type":"azure-vnet","logLevel":"info"}]}""";
        string conf2 = """{"cniVersion":"1.0.0","name":"azure","plugins":[{"type":"azure-vnet","logLevel":"info"}]}""";
        string conf3 = """{"cniVersion":"1.1.0","name":"azure","plugins":[{"type":"azure-vnet","logLevel":"info"}]}""";
        Install(FakeRelease.Create(_work, "1.2.3", conf1));
        Install(FakeRelease.Create(_work, "1.2.4", conf2));
        Assert.Equal(conf2, File.ReadAllText(Conf("10-azure.conflist")));

        string edited = conf2.Replace("info", "debug", StringComparison.Ordinal);
        File.WriteAllText(Conf("10-azure.conflist"), edited);
        string release3 = FakeRelease.Create(_work, "1.2.5", conf3);
        var upgrade = Install(release3);
        Assert.Contains("kept your edited", upgrade.Stdout);
        Assert.Equal(edited, File.ReadAllText(Conf("10-azure.conflist")));
        Assert.Equal(conf3, File.ReadAllText(Conf("10-azure.conflist.new")));
        Assert.Contains("already installed", Install(release3).Stdout);

        // Uninstall removes the plugins and the .new file but not the operator's config.
        Assert.True(Script("--uninstall").ExitCode == 0);
        Assert.Equal(["etc", "etc/cni", "etc/cni/net.d", "etc/cni/net.d/10-azure.conflist"], Repo.Tree(_prefix));
        Assert.Equal(edited, File.ReadAllText(Conf("10-azure.conflist")));
    }

    [Fact]
    public void ForceConflist_ReplacesAnEditedConfig()
    {
        Install(FakeRelease.Create(_work, "1.2.3"));
        File.WriteAllText(Conf("10-azure.conflist"), "{}");
        Install(FakeRelease.Create(_work, "1.2.4"), "--force-conflist");
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "config/10-azure.conflist")), File.ReadAllText(Conf("10-azure.conflist")));
        Assert.False(File.Exists(Conf("10-azure.conflist.new")));
    }

    [Fact]
    public void Uninstall_RemovesOnlyWhatItInstalled()
    {
        Directory.CreateDirectory(Bin());
        File.WriteAllText(Bin("bridge"), "foreign plugin");
        File.WriteAllText(Bin("loopback"), "the system's loopback");
        Install(FakeRelease.Create(_work, "1.2.3"));
        Install(FakeRelease.Create(_work, "1.2.4"));
        Assert.Equal("the system's loopback", File.ReadAllText(Bin("loopback")));

        var result = Script("--uninstall");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["opt", "opt/cni", "opt/cni/bin", "opt/cni/bin/bridge", "opt/cni/bin/loopback"], Repo.Tree(_prefix));

        // Nothing left to remove: still succeeds.
        Assert.True(Script("--uninstall").ExitCode == 0);
    }

    [Fact]
    public void Install_ThenUninstall_LeavesAnEmptyPrefix()
    {
        Install(FakeRelease.Create(_work, "1.2.3"), "--loopback", "/nonexistent/loopback");
        Assert.False(File.Exists(Bin("loopback")));
        Install(FakeRelease.Create(_work, "1.2.4"));
        Assert.True(File.Exists("/usr/lib/cni/loopback") == File.Exists(Bin("loopback")));
        Assert.True(Script("--uninstall").ExitCode == 0);
        Assert.Empty(Repo.Tree(_prefix));
    }

    [Fact]
    public void MissingLoopback_SaysWhatToDo()
    {
        var result = Install(FakeRelease.Create(_work, "1.2.3"), "--loopback", "/nonexistent/loopback");
        Assert.Contains("containernetworking-plugins", result.Stdout);
    }

    [Fact]
    public void AVersionOtherThanTheArchives_IsRefusedBeforeAnythingIsTouched()
    {
        var result = Script("--from", FakeRelease.Create(_work, "1.2.3"), "9.9.9");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("holds version 1.2.3, not 9.9.9", result.Stderr);
        Assert.Empty(Repo.Tree(_prefix));
    }

    [Fact]
    public void AMissingOrBrokenArchive_FailsAndInstallsNothing()
    {
        var missing = Script("--from", Path.Combine(_work, "nope.tgz"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr);

        string broken = Path.Combine(_work, "broken.tgz");
        File.WriteAllText(broken, "not a tarball");
        Assert.NotEqual(0, Script("--from", broken).ExitCode);

        string stage = Path.Combine(_work, "partial");
        Directory.CreateDirectory(stage);
        File.WriteAllText(Path.Combine(stage, "azure-vnet"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(stage, "azure-vnet-ipam"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(stage, "10-azure.conflist"), "{}");
        var noVersion = Script("--from", FakeRelease.Pack(_work, stage, "0.0.1"));
        Assert.NotEqual(0, noVersion.ExitCode);
        Assert.Empty(Repo.Tree(_prefix));
    }

    [Fact]
    public void WithoutPrefix_NonRootIsRefused()
    {
        // As root (CI), the script runs as nobody through setpriv (util-linux), so the refusal is exercised there too.
        string release = FakeRelease.Create(_work, "1.2.3");
        var result = Requirements.IsRoot
            ? Repo.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", Repo.InstallScript, "--from", release])
            : Repo.Run(Repo.InstallScript, ["--from", release]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("run as root", result.Stderr);
    }

    [Fact]
    public void ARollbackWithNothingKept_Fails()
    {
        Install(FakeRelease.Create(_work, "1.2.3"));
        var result = Script("--rollback");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no previous version", result.Stderr);
    }
}
