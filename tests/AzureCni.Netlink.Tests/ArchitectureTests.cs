namespace AzureCni.Netlink.Tests;

/// <summary>Rules of the library that a build would not catch.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Library_NeverReferencesProcessSpawning()
    {
        // The data path talks to the kernel directly: no ip, sysctl or bridge subprocess.
        Assert.DoesNotContain(typeof(RouteNetlink).Assembly.GetReferencedAssemblies(), a => a.Name == "System.Diagnostics.Process");
    }

    [Fact]
    public void Library_DisablesRuntimeMarshalling()
    {
        Assert.Contains(typeof(RouteNetlink).Assembly.GetCustomAttributes(false), a => a is System.Runtime.CompilerServices.DisableRuntimeMarshallingAttribute);
    }
}
