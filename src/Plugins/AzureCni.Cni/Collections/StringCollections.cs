using System.Text;

namespace AzureCni.Cni.Collections;

/// <summary>
/// Ordinal membership of a string in a collection, written out rather than through <c>List&lt;T&gt;.Contains</c> or
/// LINQ's <c>Contains</c>: those reach <c>EqualityComparer&lt;T&gt;.Default</c> through code shared by every
/// reference type, and NativeAOT then emits a comparer, with a static base allocated at every start, for every
/// array and list element type in the image (see <see cref="ListSorting"/>). And the text of a list, written out
/// rather than as <c>string.Join(", ", items.Select(...))</c>: LINQ's <c>Select</c> is a generic virtual call, which
/// keeps NativeAOT's type loader in the image (tests/AzureCni.Architecture.Tests, StartupCostRulesTests).
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

    /// <summary>The text of each item, joined by <paramref name="separator"/> (as <c>string.Join</c>: null is "").</summary>
    public static string JoinedText<T>(this IEnumerable<T> items, string separator, Func<T, string?> text)
    {
        var joined = new StringBuilder();
        bool first = true;
        foreach (T item in items)
        {
            if (!first)
                joined.Append(separator);
            joined.Append(text(item));
            first = false;
        }

        return joined.ToString();
    }
}
