using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AzureCni.Generators.Tests.Netlink;

/// <summary>The netlink generator: output that compiles, one diagnostic per unsupported shape, deterministic output.</summary>
public sealed class NetlinkGeneratorTests
{
    [Fact]
    public void ValidDeclarations_GenerateCodeThatCompiles()
    {
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult run) = GeneratorHarness.Netlink.Run(NetlinkSamples.Valid);

        Assert.Empty(diagnostics);
        Assert.Equal(NetlinkSamples.HintNames, run.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
        // The generated code's content is held by the baselines (NetlinkGeneratorBaselineTests).
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("ACNI2001", "[NetlinkStruct] internal struct notpartial { public int a; }")]
    [InlineData("ACNI2002", "internal partial class Outer { [NetlinkStruct] internal partial struct nested { public int a; } }")]
    [InlineData("ACNI2003", "[NetlinkStruct] internal partial struct badfield { public string a; }")]
    [InlineData("ACNI2003", "[System.Runtime.CompilerServices.InlineArray(4)] internal struct Ints { private int _e; } [NetlinkStruct] internal partial struct notbytes { public Ints a; }")]
    [InlineData("ACNI2004", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1)] public string A; }")]
    [InlineData("ACNI2004", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1, Encoding = NetlinkEncoding.BigEndian)] public int? A; }")]
    [InlineData("ACNI2005", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1)] public int? A; [NetlinkAttribute(1)] public int? B; }")]
    [InlineData("ACNI2006", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(0)] public int? A; }")]
    [InlineData("ACNI2006", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(0x4001)] public int? A; }")]
    [InlineData("ACNI2007", "[NetlinkAttributeSet] internal partial struct S { [NetlinkAttribute(1)] public System.ReadOnlySpan<byte> A; }")]
    [InlineData("ACNI2008", "[NetlinkMessage(typeof(int), typeof(string))] internal ref partial struct M;")]
    [InlineData("ACNI2009", "[NetlinkStruct] internal partial struct empty { }")]
    [InlineData("ACNI2010", "[NetlinkAttributeSet] internal partial struct I { [NetlinkAttribute(1)] public int? A; } [NetlinkAttributeSet] internal ref partial struct S { [NetlinkAttribute(2, ForKind = \"x\")] public I X; }")]
    [InlineData("ACNI2010", "[NetlinkAttributeSet] internal ref partial struct S { [NetlinkAttribute(1, SelectsKind = true)] public int? Kind; }")]
    [InlineData("ACNI2010", "[NetlinkAttributeSet] internal ref partial struct S { [NetlinkAttribute(1, Encoding = NetlinkEncoding.String, SelectsKind = true)] public System.ReadOnlySpan<byte> K; [NetlinkAttribute(2, ForKind = \"x\")] public int? X; }")]
    [InlineData("ACNI2005", "[NetlinkAttributeSet] internal partial struct I { [NetlinkAttribute(1)] public int? A; } [NetlinkAttributeSet] internal ref partial struct S { [NetlinkAttribute(1, Encoding = NetlinkEncoding.String, SelectsKind = true)] public System.ReadOnlySpan<byte> K; [NetlinkAttribute(2, ForKind = \"x\")] public I X; [NetlinkAttribute(2, ForKind = \"x\")] public I Y; }")]
    public void InvalidDeclaration_ReportsDiagnostic_AndEmitsNothingForIt(string id, string declaration)
    {
        (_, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult run) = GeneratorHarness.Netlink.Run("using AzureCni.Netlink.Generation;\nnamespace Bad;\n" + declaration);

        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, diagnostic =>
        {
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal("AzureCni.Netlink", diagnostic.Descriptor.Category);
            Assert.NotEqual(Location.None, diagnostic.Location);
        });
        Assert.DoesNotContain(run.GeneratedTrees, t => t.FilePath.EndsWith("Bad.S.Netlink.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Output_IsDeterministic()
    {
        string First() => string.Join("\n", GeneratorHarness.Netlink.Run(NetlinkSamples.Valid).Run.GeneratedTrees.Select(t => t.ToString()));
        Assert.Equal(First(), First());
    }
}
