namespace AzureCni.Generators.Tests.Json;

/// <summary>
/// The emitted source of one representative type, compared with a checked-in baseline so every change
/// to the generated code is seen in review (see <see cref="Baselines"/> for how to regenerate it).
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
        var (_, diagnostics, run) = GeneratorHarness.Json.Run(Source);
        Assert.Empty(diagnostics);

        Baselines.AssertMatches(Path.Combine(Baselines.Directory(), "Sample.Outer.Conf.CniJson.g.cs.txt"), Assert.Single(run.GeneratedTrees).ToString());
    }
}
