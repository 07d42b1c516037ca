namespace AzureCni.Generators.Common;

/// <summary>
/// What a parser made of one attributed declaration: a symbol-free spec to emit (null when the declaration
/// cannot be generated) and the diagnostics it raised. Both generators' pipelines carry this one shape.
/// </summary>
internal sealed record ParseResult<TSpec>(TSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics)
    where TSpec : class;
