namespace AzureCni.Install.Tests;

/// <summary>
/// scripts/install-deps.sh's decisions, with dpkg-query, apt-get and (for the root cases) id replaced by stubs on
/// PATH: the stub apt-get records its calls, so a case proves what the script would install without installing.
/// </summary>
public sealed class InstallDepsTests : IDisposable
{
    private static readonly string Script = Path.Combine(Repository.Root, "scripts", "install-deps.sh");

    private readonly string _work = Repo.TempDir("deps");
    private readonly string _stubs;
    private readonly string _aptCalls;
    private readonly string _installed;
    private readonly string _osRelease;

    public InstallDepsTests()
    {
        // Readable and traversable by nobody, and the record writable by nobody: a refused run that still called
        // apt-get would leave its trace.
        File.SetUnixFileMode(_work, (UnixFileMode)0b111_111_111);
        _stubs = Path.Combine(_work, "stubs");
        Directory.CreateDirectory(_stubs);
        _aptCalls = Path.Combine(_work, "apt-calls");
        _installed = Path.Combine(_work, "installed");
        _osRelease = Path.Combine(_work, "os-release");
        File.WriteAllText(_osRelease, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
        Stub("dpkg-query", $$"""
            # Answers like dpkg-query -W -f='${Package} ${db:Status-Status}\n' for the packages in {{_installed}}.
            shift 2
            for p in "$@"; do grep -qx "$p" '{{_installed}}' && echo "$p installed" || echo "dpkg-query: no packages found matching $p" >&2; done
            exit 0
            """);
        Stub("apt-get", $"echo \"$*\" >> '{_aptCalls}'");
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static List<string> Listed() =>
        File.ReadAllLines(Path.Combine(Repository.Root, "scripts", "deps", "debian-packages"))
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => line.Length > 0)
            .ToList();

    private void Stub(string name, string body)
    {
        string path = Path.Combine(_stubs, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private void Installed(IEnumerable<string> packages) => File.WriteAllLines(_installed, packages);

    private Dictionary<string, string> Environment() => new()
    {
        ["PATH"] = $"{_stubs}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        ["AZURE_CNI_OS_RELEASE"] = _osRelease,
    };

    private CommandResult RunAsRoot()
    {
        Stub("id", "[ \"$1\" = -u ] && echo 0 || exec /usr/bin/id \"$@\"");
        return Repo.Run(Script, [], Environment());
    }

    private string[] AptCalls() => File.Exists(_aptCalls) ? File.ReadAllLines(_aptCalls) : [];

    [Fact]
    public void EverythingInstalled_IsSilent_AndCallsNoAptGet()
    {
        Installed(Listed());
        var result = RunAsRoot();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Empty(AptCalls());
    }

    [Fact]
    public void MissingPackages_AreInstalled_ExactlyThoseAndNamed()
    {
        Installed(Listed().Where(p => p is not "nftables" and not "valgrind"));
        var result = RunAsRoot();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("installing 2 missing Debian package(s): nftables valgrind", result.Stdout);
        Assert.Equal(["update -qq", "install -y -qq --no-install-recommends nftables valgrind"], AptCalls());
    }

    [Fact]
    public void TheListHoldsWhatTheTestsAndDemoNeed()
    {
        var listed = Listed();
        foreach (string needed in new[] { "nftables", "podman", "socat", "containernetworking-plugins", "golang-github-appc-cni-dev", "golang-github-containerd-go-cni-dev", "valgrind", "iproute2" })
            Assert.Contains(needed, listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public void NotDebian_StopsBeforeAnything_NamingThePackagesAndTheCommand()
    {
        File.WriteAllText(_osRelease, "ID=fedora\nID_LIKE=\"rhel centos\"\n");
        Installed(["make"]);
        var result = RunAsRoot();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a Debian system", result.Stderr);
        Assert.Contains("apt-get install -y --no-install-recommends make gcc", result.Stderr);
        Assert.Empty(AptCalls());
        Assert.False(File.Exists(_aptCalls));
    }

    [RootFact]
    public void AsNobody_StopsAtOnce_NamingWhatIsMissing_AndChangesNothing()
    {
        Installed(Listed().Where(p => p != "podman"));
        var before = Repo.Tree(_work);
        var result = Repo.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Script], Environment());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("needs root", result.Stderr);
        Assert.Contains("missing Debian packages: podman", result.Stderr);
        Assert.Contains("apt-get update && apt-get install -y --no-install-recommends podman", result.Stderr);
        Assert.Equal(before, Repo.Tree(_work));
    }

    [RootFact]
    public void MakeTestAsNobody_StopsAtTheDependencyStep_BeforeBuildingAnything()
    {
        Installed(Listed().Where(p => p != "nftables"));
        // -n on the build steps would not prove the order; instead make runs for real and must stop at deps,
        // which it does before the publish steps (nobody could not write output/ anyway, so look at the message).
        var result = Repo.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "make", "-C", Repository.Root, "test"], Environment());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("install-deps: needs root", result.Stderr);
        Assert.Contains("missing Debian packages: nftables", result.Stderr);
        Assert.DoesNotContain("dotnet publish", result.Stdout);
        Assert.False(File.Exists(_aptCalls));
    }
}
