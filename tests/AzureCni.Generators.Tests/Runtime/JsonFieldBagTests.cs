using System.Text;
using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Generators.Tests.Runtime;

public sealed class JsonFieldBagTests
{
    [Fact]
    public void ReadObjectThenWrite_RoundTripsMembersInOrder()
    {
        const string json = """{"z":1,"a":{"nested":[true,null]},"m":"s\"q","n":null,"f":-1.5e3}""";

        JsonFieldBag bag = Read(json);

        Assert.Equal(5, bag.Count);
        Assert.Equal(["z", "a", "m", "n", "f"], bag.Select(field => field.Key));
        Assert.Equal(json, Write(bag));
    }

    [Fact]
    public void SetExistingName_ReplacesInPlace()
    {
        JsonFieldBag bag = Read("""{"a":1,"b":2}""");

        bag.Set("a", RawJson.Parse("[3]"));

        Assert.Equal("""{"a":[3],"b":2}""", Write(bag));
    }

    [Fact]
    public void SetNewName_Appends()
    {
        JsonFieldBag bag = Read("""{"a":1}""");

        bag.Set("c", RawJson.Parse("\"x\""));

        Assert.Equal("""{"a":1,"c":"x"}""", Write(bag));
    }

    [Fact]
    public void Remove_DropsOnlyThatName()
    {
        JsonFieldBag bag = Read("""{"a":1,"b":2,"c":3}""");

        Assert.True(bag.Remove("b"));
        Assert.False(bag.Remove("b"));

        Assert.Equal("""{"a":1,"c":3}""", Write(bag));
    }

    [Fact]
    public void Get_IsOrdinalAndEmptyWhenAbsent()
    {
        JsonFieldBag bag = Read("""{"Name":"x"}""");

        Assert.Equal("\"x\"", bag.Get("Name").ToString());
        Assert.True(bag.Get("name").IsEmpty);
        Assert.False(bag.TryGet("name", out _));
        Assert.True(bag.Contains("Name"));
    }

    [Fact]
    public void DuplicateMembers_LastOneWins()
    {
        JsonFieldBag bag = Read("""{"a":1,"a":2}""");

        Assert.Single(bag);
        Assert.Equal("2", bag.Get("a").ToString());
    }

    [Fact]
    public void EscapedName_IsUnescapedAndReEscapedOnWrite()
    {
        JsonFieldBag bag = Read("""{"a\"b\u00e9":true}""");

        Assert.True(bag.Contains("a\"bé"));
        Assert.Equal("{\"a\\\"bé\":true}", Write(bag));
    }

    [Fact]
    public void SetEmptyValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => new JsonFieldBag().Set("a", default));
    }

    private static JsonFieldBag Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), CniJson.ReaderOptions);
        return JsonFieldBag.ReadObject(ref reader);
    }

    private static string Write(JsonFieldBag bag)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
            bag.WriteTo(writer);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
