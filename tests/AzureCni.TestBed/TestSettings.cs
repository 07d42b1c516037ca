using System.Globalization;

namespace AzureCni.TestBed;

/// <summary>Test sizes an environment variable may raise for a long local run (make test keeps the defaults).</summary>
public static class TestSettings
{
    /// <summary>The positive whole number in <paramref name="variable"/>, else <paramref name="fallback"/>.</summary>
    public static int Count(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : fallback;
}
