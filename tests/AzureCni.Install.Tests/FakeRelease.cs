namespace AzureCni.Install.Tests;

/// <summary>
/// A release archive laid out like `make azure-cni-plugins` output (flat: azure-vnet, azure-vnet-ipam,
/// 10-azure.conflist) whose plugins are shell scripts printing their version: enough for the install script,
/// which only runs `azure-vnet --version`.
/// </summary>
internal static class FakeRelease
{
    public static string Create(string dir, string version, string? conflist = null)
    {
        string stage = Path.Combine(dir, "stage-" + version);
        Directory.CreateDirectory(stage);
        foreach (string name in new[] { "azure-vnet", "azure-vnet-ipam" })
        {
            File.WriteAllText(Path.Combine(stage, name), $"#!/bin/sh\necho \"Azure CNI Version v{version}\"\n# {name}\n");
            File.SetUnixFileMode(Path.Combine(stage, name), (UnixFileMode)0b111_101_101);
        }

        File.WriteAllText(Path.Combine(stage, "10-azure.conflist"), conflist ?? File.ReadAllText(Path.Combine(Repository.Root, "config", "10-azure.conflist")));
        return Pack(dir, stage, version);
    }

    /// <summary>Packs the three files of <paramref name="stage"/> as output/azure-vnet-cni-linux-amd64-v&lt;version&gt;.tgz does.</summary>
    public static string Pack(string dir, string stage, string version)
    {
        string archive = Path.Combine(dir, $"azure-vnet-cni-linux-amd64-v{version}.tgz");
        var tar = Repo.Run("tar", ["-C", stage, "-czf", archive, "azure-vnet", "azure-vnet-ipam", "10-azure.conflist"]);
        Assert.True(tar.ExitCode == 0, tar.ToString());
        return archive;
    }
}
