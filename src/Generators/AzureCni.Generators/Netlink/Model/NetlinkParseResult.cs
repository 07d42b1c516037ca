using AzureCni.Generators.Common;

namespace AzureCni.Generators.Netlink.Model;

/// <summary>What the parser made of one declaration: a spec to emit (null when invalid) and its diagnostics.</summary>
internal sealed record NetlinkParseResult<TSpec>(TSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
    where TSpec : class;
