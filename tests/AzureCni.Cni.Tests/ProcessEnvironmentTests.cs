using AzureCni.Cni.Hosting;

namespace AzureCni.Cni.Tests;

/// <summary>The production environment view: names looked up one at a time, the whole table only when enumerated.</summary>
public class ProcessEnvironmentTests
{
    [Fact]
    public void LooksUpSetNamesAndMissesUnsetOnes()
    {
        string name = $"AZCNI_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "value=with;separators");
        try
        {
            var env = CniInvocation.FromProcess([], "test").Environment;
            Assert.True(env.TryGetValue(name, out string? value));
            Assert.Equal("value=with;separators", value);
            Assert.Equal("value=with;separators", env[name]);
            Assert.False(env.TryGetValue(name + "_UNSET", out _));
            Assert.False(env.ContainsKey(name + "_UNSET"));
            Assert.Throws<KeyNotFoundException>(() => env[name + "_UNSET"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void EnumerationHandsOverTheWholeEnvironmentForDelegation()
    {
        string name = $"AZCNI_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "delegated");
        try
        {
            var env = CniInvocation.FromProcess([], "test").Environment;
            var all = env.ToDictionary(pair => pair.Key, pair => pair.Value);
            Assert.Equal("delegated", all[name]);
            Assert.Equal(Environment.GetEnvironmentVariables().Count, env.Count);
            Assert.Contains(name, env.Keys);
            Assert.Contains("delegated", env.Values);

            // After the snapshot, lookups answer from it, consistently with what was enumerated.
            Assert.True(env.TryGetValue(name, out string? value));
            Assert.Equal("delegated", value);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
