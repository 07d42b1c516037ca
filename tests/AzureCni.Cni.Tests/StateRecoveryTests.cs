using System.Text;
using AzureCni.Cni.Recovery;

namespace AzureCni.Cni.Tests;

/// <summary>The shared pieces of a state file's recovery: telling damage apart, moving it aside, reading libcni's cache.</summary>
public sealed class StateRecoveryTests
{
    [Theory]
    [InlineData("", "empty (0 bytes)")]
    [InlineData("\0\0\0", "NUL-filled (3 bytes)")]
    [InlineData(" \n\0", "blank (3 bytes)")]
    [InlineData("{\"version\":1", null)]
    public void BlankNamesFilesWithNoStateAtAll(string content, string? reason) =>
        Assert.Equal(reason, DamagedStateFile.Blank(Encoding.UTF8.GetBytes(content)));

    [Theory]
    [InlineData("{\"pools\":{\"x\":[1]},\"version\":9}", 9)]
    [InlineData("{\"Version\":2}", 2)]
    [InlineData("{\"version\":\"9\"}", null)]
    [InlineData("[9]", null)]
    [InlineData("{\"version\":", null)]
    public void PeekVersionReadsOnlyTheTopLevelNumber(string content, int? version) =>
        Assert.Equal(version, DamagedStateFile.PeekVersion(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void MoveAsideKeepsFilesAndDirectoriesUnderTimestampedNames()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "s.json");
        var now = new DateTime(2026, 12, 5, 13, 40, 0, 123, DateTimeKind.Utc);
        File.WriteAllText(file, "torn");
        string first = DamagedStateFile.MoveAside(file, now);
        Assert.Equal(file + ".corrupt-20261205T134000.123Z", first);
        Assert.Equal("torn", File.ReadAllText(first));

        Directory.CreateDirectory(file);
        string second = DamagedStateFile.MoveAside(file, now);
        Assert.Equal(first + "-1", second);
        Assert.True(Directory.Exists(second));
        Assert.False(Path.Exists(file));
    }

    [Fact]
    public void ResultCacheReadsLibcnisEntriesAndSkipsOthers()
    {
        string config = Convert.ToBase64String("""{"cniVersion":"1.0.0","name":"azure","plugins":[{"type":"azure-vnet","mode":"bridge","ipam":{"type":"azure-vnet-ipam"}},{"type":"portmap"}]}"""u8);
        string entry = $$$"""{"kind":"cniCacheV1","containerId":"abc","config":"{{{config}}}","ifName":"eth0","networkName":"azure","cniArgs":[["K8S_POD_NAME","p"]],"result":{"cniVersion":"1.0.0","interfaces":[{"name":"azv1"},{"name":"eth0","mac":"02:00:00:00:00:01","sandbox":"/var/run/netns/p"}],"ips":[{"address":"10.240.0.5/16","gateway":"10.240.0.1","interface":1}]}}""";
        var parsed = ResultCache.Parse(Encoding.UTF8.GetBytes(entry));
        Assert.NotNull(parsed);
        Assert.Equal(("azure", "abc", "eth0", "bridge"), (parsed.Network, parsed.ContainerId, parsed.IfName, parsed.Mode));
        Assert.Equal(["azure-vnet", "portmap"], parsed.PluginTypes);
        Assert.Equal(["azure-vnet-ipam"], parsed.IpamTypes);
        Assert.Equal("/var/run/netns/p", parsed.ContainerInterface?.Sandbox);
        Assert.Equal("10.240.0.5/16", parsed.Result.Ips[0].Address.ToString());

        Assert.Null(ResultCache.Parse(Encoding.UTF8.GetBytes(entry.Replace("cniCacheV1", "other", StringComparison.Ordinal))));
        Assert.Null(ResultCache.Parse(Encoding.UTF8.GetBytes(entry[..40])));

        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "results"));
        File.WriteAllText(Path.Combine(dir.Path, "results", "azure-abc-eth0"), entry);
        File.WriteAllText(Path.Combine(dir.Path, "results", "azure-torn-eth0"), entry[..40]);
        Assert.Single(ResultCache.Read(dir.Path, out int skipped));
        Assert.Equal(1, skipped);
        Assert.Empty(ResultCache.Read(Path.Combine(dir.Path, "none"), out _));
    }
}
