namespace AzureCni.Cni.Collections;

/// <summary>
/// Ordinal membership of a string in a collection, written out rather than through <c>List&lt;T&gt;.Contains</c> or
/// LINQ's <c>Contains</c>: those reach <c>EqualityComparer&lt;T&gt;.Default</c> through code shared by every
/// reference type, and NativeAOT then emits a comparer, with a static base allocated at every start, for every
/// array and list element type in the image (see <see cref="ListSorting"/>).
/// </summary>
public static class StringCollections
{
    public static bool ContainsOrdinal(this IEnumerable<string> items, string value)
    {
        foreach (string item in items)
        {
            if (string.Equals(item, value, StringComparison.Ordinal))
                return true;
        }

        return false;
    }
}
