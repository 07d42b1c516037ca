namespace AzureCni.Generators.Tests.Common;

/// <summary>
/// Whole-file comparison of generated source with a checked-in baseline, so every change to the generated code
/// is seen in review. On a difference the actual output is written beside the baseline as <c>*.actual</c>
/// (git-ignored). To accept changes, run the tests with <c>UPDATE_BASELINES=1</c>, which rewrites the
/// baselines in place, and review the diff:
/// <c>UPDATE_BASELINES=1 dotnet test tests/AzureCni.Generators.Tests -c Release --filter Baseline</c>.
/// </summary>
internal static class Baselines
{
    public static void AssertMatches(string baselinePath, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(baselinePath, actual);
            return;
        }

        string expected = File.Exists(baselinePath) ? File.ReadAllText(baselinePath).Replace("\r\n", "\n") : "";
        if (expected != actual)
            File.WriteAllText(baselinePath + ".actual", actual);
        else if (File.Exists(baselinePath + ".actual"))
            File.Delete(baselinePath + ".actual");

        Assert.True(expected == actual, $"Generated source differs from {baselinePath}; see the .actual file beside it, or regenerate with UPDATE_BASELINES=1.");
    }

    /// <summary>The directory of the calling test's source file, where its Baselines folder lives.</summary>
    public static string Directory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Baselines");
}
