namespace AzureCni.Generators.Json.Model;

/// <summary>
/// What the emitter needs to know about a member type: its JSON kind, its global::-qualified name and,
/// for collections, the element. Plain data, so the model stays equatable.
/// </summary>
/// <param name="FullyQualifiedName">The type without a top-level <c>?</c> (for Nullable&lt;T&gt;, T's name).</param>
/// <param name="IsNullable">A nullable reference (or oblivious) type, or Nullable&lt;T&gt;.</param>
/// <param name="Element">The element of a List, array or Dictionary value; null otherwise.</param>
internal sealed record JsonTypeRef(JsonTypeKind Kind, string FullyQualifiedName, bool IsValueType, bool IsNullable, JsonTypeRef? Element)
{
    /// <summary>The type as written in a declaration, with its <c>?</c> when nullable.</summary>
    public string Declaration => IsNullable ? FullyQualifiedName + "?" : FullyQualifiedName;

    /// <summary>The type of a local that may hold null before the member is read.</summary>
    public string LocalDeclaration => IsValueType && !IsNullable ? FullyQualifiedName : FullyQualifiedName + "?";

    /// <summary>Nullable&lt;T&gt;: written and tested through <c>HasValue</c>/pattern matching.</summary>
    public bool IsNullableValueType => IsValueType && IsNullable;
}
