namespace AzureCni.Cni.Collections;

/// <summary>
/// <c>List&lt;T&gt;.ConvertAll</c> for any read-only list (the kernel's dumps, a config's lists), instead of
/// LINQ's <c>Select(...).ToList()</c>: <c>Select</c> is a generic virtual call, and one of those anywhere in the image
/// keeps NativeAOT's type loader and its static bases in every start (StartupCostRulesTests).
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
}
