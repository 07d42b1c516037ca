namespace AzureCni.Cni.Collections;

/// <summary>
/// <c>List&lt;T&gt;.ConvertAll</c> for any read-only list (the kernel's dumps, a config's lists), instead of
/// LINQ's <c>Select(...).ToList()</c>: <c>Select</c> is a generic virtual call, and one of those anywhere in the image
/// keeps NativeAOT's type loader and its static bases in every start (StartupCostRulesTests). And
/// <c>List&lt;T&gt;.FindAll</c>, <c>Find</c> and <c>Exists</c> likewise, instead of LINQ's <c>Where</c>, <c>FirstOrDefault</c> and <c>Any</c>, which for an <c>IEnumerable&lt;T&gt;</c> of a
/// reference type reach <c>Array.Empty&lt;T&gt;</c>: one more static base per element type, allocated at every start.
/// </summary>
public static class ReadOnlyLists
{
    public static List<TResult> ConvertAll<T, TResult>(this IReadOnlyList<T> items, Func<T, TResult> convert)
    {
        var converted = new List<TResult>(items.Count);
        for (int i = 0; i < items.Count; i++)
            converted.Add(convert(items[i]));
        return converted;
    }

    public static List<T> FindAll<T>(this IReadOnlyList<T> items, Func<T, bool> match)
    {
        var found = new List<T>();
        for (int i = 0; i < items.Count; i++)
        {
            if (match(items[i]))
                found.Add(items[i]);
        }

        return found;
    }

    /// <summary>The first item that matches, or null.</summary>
    public static T? Find<T>(this IReadOnlyList<T> items, Func<T, bool> match) where T : class
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (match(items[i]))
                return items[i];
        }

        return null;
    }

    public static bool Exists<T>(this IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (match(items[i]))
                return true;
        }

        return false;
    }
}
