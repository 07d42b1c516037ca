namespace AzureCni.Cni.Collections;

/// <summary>
/// Sorts a list of a reference type without <c>List&lt;T&gt;.Sort</c> or <c>Array.Sort</c>. Those share one body for
/// every reference type, and its generic dictionary makes NativeAOT emit <c>ArraySortHelper&lt;T&gt;</c>,
/// <c>Comparer&lt;T&gt;</c> and <c>EmptyArray&lt;T&gt;</c> for every <c>List&lt;T&gt;</c> in the image, each with a
/// static base the runtime allocates at every start: 123 of azure-vnet's 737, about a tenth of its cold start
/// (docs/benchmarks.md). Only this project's code called them; keep it that way. Stable (bottom-up merge sort).
/// </summary>
public static class ListSorting
{
    public static void SortStable<T>(this List<T> list, Comparison<T> comparison)
    {
        int count = list.Count;
        if (count < 2)
            return;

        var items = new T[count];
        for (int i = 0; i < count; i++)
            items[i] = list[i];

        var scratch = new T[count];
        for (int width = 1; width < count; width *= 2)
        {
            for (int low = 0; low < count - width; low += 2 * width)
                Merge(items, scratch, low, low + width, Math.Min(low + 2 * width, count), comparison);
        }

        for (int i = 0; i < count; i++)
            list[i] = items[i];
    }

    private static void Merge<T>(T[] items, T[] scratch, int low, int middle, int high, Comparison<T> comparison)
    {
        int left = low, right = middle, to = low;
        while (left < middle && right < high)
        {
            // Strictly less: equal items keep their order.
            scratch[to++] = comparison(items[right], items[left]) < 0 ? items[right++] : items[left++];
        }

        while (left < middle)
            scratch[to++] = items[left++];

        while (right < high)
            scratch[to++] = items[right++];

        Array.Copy(scratch, low, items, low, high - low);
    }
}
