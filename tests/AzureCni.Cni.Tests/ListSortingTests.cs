using AzureCni.Cni.Collections;

namespace AzureCni.Cni.Tests;

public class ListSortingTests
{
    private sealed record Item(int Key, int Arrival);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(1000)]
    public void SortsLikeAStableOrderBy(int count)
    {
        var random = new Random(count);
        var list = Enumerable.Range(0, count).Select(i => new Item(random.Next(0, 10), i)).ToList();
        var expected = list.OrderBy(item => item.Key).ToList();

        list.SortStable((a, b) => a.Key.CompareTo(b.Key));

        // Equal keys keep their arrival order: OrderBy is stable, so the sequences match item for item.
        Assert.Equal(expected, list);
    }

    [Fact]
    public void SortsStringsOrdinally()
    {
        var list = new List<string> { "b", "B", "a", "A", "-j", "ACCEPT" };
        list.SortStable(string.CompareOrdinal);
        Assert.Equal(["-j", "A", "ACCEPT", "B", "a", "b"], list);
    }
}
