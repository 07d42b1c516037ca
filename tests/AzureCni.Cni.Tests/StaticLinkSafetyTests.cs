using System.Text;

namespace AzureCni.Cni.Tests;

/// <summary>
/// The plugins are static glibc executables. Anything that makes the runtime dlopen a shared library
/// (System.Security.Cryptography needs OpenSSL, culture data needs ICU) loads a second libc into the
/// process; we saw exactly that corrupt the GC heap and crash azure-vnet ADD with SIGSEGV. NativeAOT only
/// keeps those native bindings when the code that needs them is reachable, so their library names in the
/// binary are the warning sign, caught here at build time rather than on a node.
/// </summary>
public class StaticLinkSafetyTests
{
    private static readonly string[] ForbiddenLibraries =
    [
        "libssl",
        "libcrypto",
        "libSystem.Security.Cryptography.Native",
        "libicuuc",
        "libSystem.Net.Security.Native",
    ];

    [BinaryTheory("azure-vnet")]
    [InlineData("azure-vnet")]
    [InlineData("azure-vnet-ipam")]
    public void PublishedBinary_BindsNoLibraryThatWouldBeDlopened(string binary)
    {
        string path = Requirements.PublishedBinary(binary) ?? throw new InvalidOperationException($"{binary} not published");
        byte[] image = File.ReadAllBytes(path);
        foreach (string library in ForbiddenLibraries)
        {
            int at = image.AsSpan().IndexOf(Encoding.ASCII.GetBytes(library));
            Assert.True(at < 0, $"{binary} refers to {library} at offset {at}: some code path would dlopen it into a static binary");
        }
    }
}
