using System.Text.RegularExpressions;

namespace AzureCni.Install.Tests;

/// <summary>
/// The seed README's node upgrade, done while pods come and go: azure-vnet-ipam ADD/DEL calls run in a loop,
/// exec'ing the installed binary, while the install script replaces version A with B. No call may fail, state
/// written by A must be read by B, and uninstall must leave nothing behind.
/// </summary>
public sealed partial class LiveUpgradeTests(ReleaseFixture releases) : IClassFixture<ReleaseFixture>, IDisposable
{
    private readonly string _work = Repo.TempDir("upg");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private const string Config = """
        {"cniVersion":"1.0.0","name":"upgrade","type":"bridge","logLevel":"info",
         "ipam":{"type":"azure-vnet-ipam","environment":"local","subnet":"10.99.0.0/22"}}
        """;

    [GeneratedRegex("\"address\":\"(10\\.99\\.[0-9.]+)/22\"")]
    private static partial Regex AddressPattern();

    [BinaryFact("azure-vnet", "azure-vnet-ipam")]
    public void UpgradeWhileAddAndDelRun_NoCallFails_StateCarriesOver_UninstallLeavesNothing()
    {
        var (versionA, archiveA) = releases.A;
        var (versionB, archiveB) = releases.B;
        string prefix = Path.Combine(_work, "root");
        string stateDir = Path.Combine(_work, "state");
        string logDir = Path.Combine(_work, "log");
        Directory.CreateDirectory(prefix);
        Directory.CreateDirectory(stateDir);
        Directory.CreateDirectory(logDir);
        string bin = Path.Combine(prefix, "opt/cni/bin");
        string ipam = Path.Combine(bin, "azure-vnet-ipam");

        var install = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--from", archiveA, versionA]);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal(versionA, ReleaseFixture.VersionOf(Path.Combine(bin, "azure-vnet")));

        ProcessResult Call(string command, string container) => Repo.Run(ipam, [], new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = container,
            ["CNI_NETNS"] = "/var/run/netns/" + container,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = bin,
            ["AZURE_CNI_STATE_DIR"] = stateDir,
            ["AZURE_CNI_LOG_DIR"] = logDir,
        }, Config);

        // A pod that lives through the upgrade.
        var sticky = Call("ADD", "sticky-pod");
        Assert.True(sticky.ExitCode == 0, sticky.ToString());
        string stickyAddress = AddressPattern().Match(sticky.Stdout).Groups[1].Value;
        Assert.NotEmpty(stickyAddress);

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var iterations = new int[2];
        int upgraded = 0;
        var afterUpgrade = new int[2];
        var stop = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, 2).Select(w => new Thread(() =>
        {
            for (int i = 0; !stop.IsSet; i++)
            {
                string container = $"pod-{w}-{i}";
                var add = Call("ADD", container);
                if (add.ExitCode != 0 || !AddressPattern().IsMatch(add.Stdout))
                {
                    failures.Enqueue($"ADD {container}: {add}");
                }

                var del = Call("DEL", container);
                if (del.ExitCode != 0 || del.Stdout.Length != 0)
                {
                    failures.Enqueue($"DEL {container}: {del}");
                }

                Interlocked.Increment(ref iterations[w]);
                if (Volatile.Read(ref upgraded) == 1)
                {
                    Interlocked.Increment(ref afterUpgrade[w]);
                }
            }
        })).ToList();
        workers.ForEach(t => t.Start());

        // Upgrade once both loops are going; stop after each has run a few rounds against B.
        SpinWait.SpinUntil(() => iterations.All(n => n >= 3) || !failures.IsEmpty);
        var upgrade = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--from", archiveB, versionB]);
        Volatile.Write(ref upgraded, 1);
        SpinWait.SpinUntil(() => afterUpgrade.All(n => n >= 3) || !failures.IsEmpty);
        stop.Set();
        workers.ForEach(t => t.Join());

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
        Assert.Equal(versionB, ReleaseFixture.VersionOf(Path.Combine(bin, "azure-vnet")));
        Assert.Equal(versionB, ReleaseFixture.VersionOf(ipam));
        Assert.Equal(versionA, ReleaseFixture.VersionOf(Path.Combine(bin, ".azure-cni/previous/azure-vnet")));

        // B reads A's state: the sticky pod still holds its address, and a repeated ADD returns it.
        var check = Call("CHECK", "sticky-pod");
        Assert.True(check.ExitCode == 0, check.ToString());
        var again = Call("ADD", "sticky-pod");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(stickyAddress, AddressPattern().Match(again.Stdout).Groups[1].Value);
        Assert.Single(Regex.Matches(File.ReadAllText(Path.Combine(stateDir, "azure-vnet-ipam.json")), "\"containerId\": *\"[^\"]+\""));

        // Every call left its line in the log, under both versions.
        string log = File.ReadAllText(Path.Combine(logDir, "azure-vnet-ipam.log"));
        Assert.Contains("ADD container=sticky-pod ifname=eth0 outcome=ok", log);
        int calls = iterations.Sum() * 2 + 3;
        Assert.Equal(calls, Regex.Matches(log, " outcome=ok ").Count);

        var del = Call("DEL", "sticky-pod");
        Assert.True(del.ExitCode == 0, del.ToString());
        var uninstall = Repo.Run(Repo.InstallScript, ["--prefix", prefix, "--uninstall"]);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Empty(Repo.Tree(prefix));
    }
}
