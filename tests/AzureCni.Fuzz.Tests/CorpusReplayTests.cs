namespace AzureCni.Fuzz.Tests;

/// <summary>
/// Every committed input through its target, in process: the seed corpora (tests/AzureCni.Fuzz/corpus/&lt;target&gt;) and
/// the reproducers of crashes the fuzzer found (tests/AzureCni.Fuzz/crashes/&lt;target&gt;). A target returns on accepted
/// input and on its documented refusals; anything else it throws fails the test.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string Root = AppContext.BaseDirectory;

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string kind in (string[])["corpus", "crashes"])
        {
            string directory = Path.Combine(Root, kind);
            if (!Directory.Exists(directory))
                continue;

            foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string relative = Path.GetRelativePath(directory, file);
                data.Add(relative.Split(Path.DirectorySeparatorChar)[0], Path.GetRelativePath(Root, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_gets_an_answer_or_a_documented_refusal(string target, string file)
    {
        var fuzzTarget = FuzzTargets.Find(target);
        Assert.True(fuzzTarget is not null, $"{file}: no fuzz target {target}");
        fuzzTarget.Run(File.ReadAllBytes(Path.Combine(Root, file)));
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in FuzzTargets.All)
        {
            string directory = Path.Combine(Root, "corpus", target.Name);
            Assert.True(Directory.Exists(directory) && Directory.EnumerateFiles(directory).Any(), $"no seeds for {target.Name}");
        }
    }

    [Fact]
    public void An_exception_the_reader_does_not_document_escapes()
    {
        Assert.False(Refusal.Allow(static () => throw new FormatException("refused"), static e => e is FormatException));
        Assert.Throws<NullReferenceException>(() => Refusal.Allow(static () => throw new NullReferenceException(), static e => e is FormatException));
    }
}
