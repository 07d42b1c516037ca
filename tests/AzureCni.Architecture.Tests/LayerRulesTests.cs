using System.Reflection;
using NetArchTest.Rules;

namespace AzureCni.Architecture.Tests;

/// <summary>
/// The layer rules of docs/design.md ("Layer rules"). Each rule is checked twice: on the csproj references
/// (so an unused reference is caught too) and on the compiled types (so no dependency sneaks in another way).
/// </summary>
public sealed class LayerRulesTests
{
    private const string Generators = "AzureCni.Generators", Json = "AzureCni.Json", Netlink = "AzureCni.Netlink", Hns = "AzureCni.Hns";
    private const string Cni = "AzureCni.Cni", Ipam = "AzureCni.Ipam", Vnet = "AzureCni.Vnet", TestBed = "AzureCni.TestBed";

    private static readonly string[] s_pluginProjects = [Cni, Ipam, Vnet, "azure-vnet", "azure-vnet-ipam"];

    /// <summary>A project and the projects it must not reach, directly or through another.</summary>
    public static TheoryData<string, string[]> Rules => new()
    {
        // Generators and the JSON runtime sit under everything: they reference no runtime project.
        { Generators, [Json, Netlink, Hns, .. s_pluginProjects] },
        { Json, [Netlink, Hns, .. s_pluginProjects] },
        // The two kernel/host-service libraries are independent of each other and of the plugins.
        { Netlink, [Hns, .. s_pluginProjects] },
        { Hns, [Netlink, .. s_pluginProjects] },
        // The CNI core is platform-neutral: no netlink, no HNS.
        { Cni, [Netlink, Hns, Ipam, Vnet] },
        // The IPAM hands out addresses; it knows no data path.
        { Ipam, [Vnet, Netlink, Hns] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void ProjectFile_ReferencesNoForbiddenProject(string project, string[] forbidden)
    {
        IReadOnlySet<string> references = ProjectGraph.Source.ReferencesOf(project);

        Assert.Empty(forbidden.Where(references.Contains).Select(f => $"{project} references {f}"));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void CompiledTypes_DependOnNoForbiddenNamespace(string project, string[] forbidden)
    {
        // The generator targets netstandard2.0 and is not loaded here; its project-file rule covers it.
        if (project == Generators)
            return;
        Assembly assembly = Assembly.Load(project);
        string[] namespaces = forbidden.Where(f => f.StartsWith("AzureCni.", StringComparison.Ordinal)).ToArray();

        TestResult result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(namespaces).GetResult();

        Assert.True(result.IsSuccessful, $"{project} types depending on {string.Join(", ", namespaces)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Ipam_ReportsThroughTheCniCoreLogging_NotTheHost()
    {
        // The host (CniHost, StandardStreams) drives plugins; plugin libraries do not reach up into it.
        TestResult result = Types.InAssembly(Assembly.Load(Ipam)).ShouldNot().HaveDependencyOn("AzureCni.Cni.Hosting").GetResult();

        Assert.True(result.IsSuccessful, $"{Ipam} types using AzureCni.Cni.Hosting: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Netlink_HoldsTheMechanism_NoProductPolicy()
    {
        // azure-vnet's rule sets and tag format live beside its Linux data path (AzureCni.Vnet.Linux.Rules, RuleTag).
        string netlink = Path.Combine(ProjectGraph.RepoRoot, "src", "Netlink");
        string[] naming = Directory.EnumerateFiles(netlink, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("azcni:", StringComparison.Ordinal) || text.Contains("azure-cni", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(netlink, f))
            .ToArray();
        TestResult result = Types.InAssembly(Assembly.Load(Netlink)).ShouldNot().HaveNameStartingWith("AzureCni").GetResult();

        Assert.True(naming.Length == 0, $"netlink files naming azure-vnet's tables or tags: {string.Join(", ", naming)}");
        Assert.True(result.IsSuccessful, $"product types in {Netlink}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void LinuxDataPath_ReachesTheKernelOnlyThroughItsSeam()
    {
        // What the data path decides is unit-tested over a recording kernel only because it cannot open a socket itself.
        TestResult result = Types.InAssembly(Assembly.Load(Vnet))
            .That().ResideInNamespace("AzureCni.Vnet.Linux")
            .And().DoNotResideInNamespace("AzureCni.Vnet.Linux.Kernel")
            .And().DoNotResideInNamespace("AzureCni.Vnet.Linux.Rules")
            .ShouldNot().HaveDependencyOnAny(
                "AzureCni.Netlink.RouteNetlink", "AzureCni.Netlink.NfTables.NfTablesClient", "AzureCni.Netlink.Sysctl", "AzureCni.Netlink.NetworkNamespace")
            .GetResult();

        Assert.True(result.IsSuccessful, $"Linux data-path types opening the kernel themselves: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Vnet_ReachesTheIpamOnlyThroughItsSeam()
    {
        // The plugin, both data paths and host-check go through AzureCni.Vnet.Ipam (in process or delegated); `show`
        // and `state export` are offline tools that read both plugins' files.
        TestResult result = Types.InAssembly(Assembly.Load(Vnet))
            .That().ResideInNamespace("AzureCni.Vnet")
            .And().DoNotResideInNamespace("AzureCni.Vnet.Ipam")
            .And().DoNotResideInNamespace("AzureCni.Vnet.Show")
            .And().DoNotResideInNamespace("AzureCni.Vnet.Export")
            .ShouldNot().HaveDependencyOn(Ipam)
            .GetResult();

        Assert.True(result.IsSuccessful, $"{Vnet} types using the IPAM library directly: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void NothingUnderSrc_NamesTheTestBed()
    {
        string src = Path.Combine(ProjectGraph.RepoRoot, "src");
        IEnumerable<string> files = Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetExtension(f) is ".cs" or ".csproj" or ".props" or ".targets");

        string[] naming = files.Where(f => File.ReadAllText(f).Contains(TestBed, StringComparison.Ordinal)).Select(f => Path.GetRelativePath(src, f)).ToArray();

        Assert.True(naming.Length == 0, $"files under src/ naming {TestBed}: {string.Join(", ", naming)}");
    }

    [Fact]
    public void EveryRuledProject_Exists()
    {
        // A renamed project would otherwise make its rules pass vacuously.
        foreach (string project in new[] { Generators, Json, Netlink, Hns, Cni, Ipam, Vnet })
            Assert.Contains(project, ProjectGraph.Source.Projects);
    }
}
