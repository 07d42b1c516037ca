namespace AzureCni.Generators.Tests.Json;

/// <summary>
/// The emitted source of one representative type, compared with a checked-in baseline so every change
/// to the generated code is seen in review. To accept a change, copy the *.actual file written next
/// to the baseline over it.
/// </summary>
public sealed class GeneratorBaselineTests
{
    private const string Source = """
        using System.Collections.Generic;
        using AzureCni.Json;

        namespace Sample;

        public partial class Outer
        {
            [CniJsonObject]
            public sealed partial class Conf
            {
                public required string CniVersion { get; init; }
                public string? Mode { get; init; } = "transparent";
                public int Mtu { get; set; } = 1500;
                public bool? Snat { get; set; }
                [JsonName("ips")] public List<string?>? Addresses { get; set; }
                public Dictionary<string, int[]>? Ports { get; set; }
                public RawJson RuntimeConfig { get; set; }
                [JsonUnknownFields] public JsonFieldBag? Unknown { get; set; }
            }
        }
        """;

    [Fact]
    public void RepresentativeType_MatchesTheBaseline()
    {
        var (_, diagnostics, run) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source));
        Assert.Empty(diagnostics);
        string actual = Assert.Single(run.GeneratedTrees).ToString().Replace("\r\n", "\n");

        string baselinePath = Path.Combine(SourceDirectory(), "Baselines", "Sample.Outer.Conf.CniJson.g.cs.txt");
        string expected = File.Exists(baselinePath) ? File.ReadAllText(baselinePath).Replace("\r\n", "\n") : "";
        if (expected != actual)
            File.WriteAllText(baselinePath + ".actual", actual);

        Assert.True(expected == actual, $"Generated source differs from {baselinePath}; see the .actual file beside it.");
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
