using System.Buffers;
using System.Text;
using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Generators.Tests.Runtime;

public sealed class RawJsonTests
{
    [Theory]
    [InlineData("{\"a\": [1, 2], \"b\": {}}", JsonTokenType.StartObject)]
    [InlineData("[ ]", JsonTokenType.StartArray)]
    [InlineData("\"s\\u0041\"", JsonTokenType.String)]
    [InlineData("-12.5e+3", JsonTokenType.Number)]
    [InlineData("true", JsonTokenType.True)]
    [InlineData("false", JsonTokenType.False)]
    [InlineData("null", JsonTokenType.Null)]
    public void Parse_KeepsStrictTextVerbatim(string json, JsonTokenType kind)
    {
        RawJson raw = RawJson.Parse(json);

        Assert.Equal(json, raw.ToString());
        Assert.Equal(kind, raw.TokenType);
    }

    [Theory]
    [InlineData("{\"a\":1,}", "{\"a\":1}")]
    [InlineData("[1, /* c */ 2]", "[1,2]")]
    [InlineData("{\"u\":\"http://x\" // trailing\n}", "{\"u\":\"http://x\"}")]
    public void Parse_NormalisesCommentsAndTrailingCommas(string json, string expected)
    {
        Assert.Equal(expected, RawJson.Parse(json).ToString());
    }

    [Fact]
    public void Parse_KeepsSlashesAndCommasInsideStrings()
    {
        const string json = "{\"a\":\"x, ]\\\" // y /* z */\"}";

        Assert.Equal(json, RawJson.Parse(json).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("1 2")]
    public void Parse_RejectsWhatIsNotOneValue(string json)
    {
        Assert.ThrowsAny<JsonException>(() => RawJson.Parse(json));
    }

    [Fact]
    public void Read_FromMultiSegmentSequence_CopiesTheValue()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"v\": {\"a\": [1, \"two\", {\"three\": 3}]}, \"w\": 1}");
        ReadOnlySequence<byte> sequence = Split(json, 7);
        var reader = new Utf8JsonReader(sequence, CniJson.ReaderOptions);
        reader.Read(); // {
        reader.Read(); // "v"
        reader.Read(); // {

        RawJson raw = RawJson.Read(ref reader);

        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal("w", reader.GetString());
        Assert.Equal("{\"a\":[1,\"two\",{\"three\":3}]}", raw.ToString().Replace(" ", ""));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Read_PrimitivesFromMultiSegmentSequence_KeepTheirText(int segmentLength)
    {
        byte[] json = Encoding.UTF8.GetBytes("[\"ab\\u0063d\",-12.75e2,true,null]");
        var reader = new Utf8JsonReader(Split(json, segmentLength), CniJson.ReaderOptions);
        reader.Read(); // [

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            values.Add(RawJson.Read(ref reader).ToString());

        Assert.Equal(["\"abcd\"", "-12.75e2", "true", "null"], values.Select(v => v.Replace("\\u0063", "c")));
    }

    [Fact]
    public void WriteTo_WritesTheTextAsAValue()
    {
        var output = new ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
        {
            writer.WriteStartArray();
            RawJson.Parse("{\"a\" : 1}").WriteTo(writer);
            RawJson.Null.WriteTo(writer);
            writer.WriteEndArray();
        }

        Assert.Equal("[{\"a\" : 1},null]", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Default_IsEmptyAndRefusesToWrite()
    {
        RawJson raw = default;

        Assert.True(raw.IsEmpty);
        Assert.Equal(JsonTokenType.None, raw.TokenType);
        using Utf8JsonWriter writer = CniJson.CreateWriter(new ArrayBufferWriter<byte>());
        Assert.Throws<InvalidOperationException>(() => raw.WriteTo(writer));
    }

    [Fact]
    public void GetString_UnescapesStringsAndIsNullOtherwise()
    {
        Assert.Equal("aé\"", RawJson.Parse("\"a\\u00e9\\\"\"").GetString());
        Assert.Null(RawJson.Parse("1").GetString());
    }

    [Fact]
    public void Equality_IsByText()
    {
        Assert.Equal(RawJson.Parse("[1]"), RawJson.Parse("[1]"));
        Assert.NotEqual(RawJson.Parse("[1]"), RawJson.Parse("[ 1 ]"));
        Assert.Equal(RawJson.Parse("[1]").GetHashCode(), RawJson.Parse("[1]").GetHashCode());
    }

    private static ReadOnlySequence<byte> Split(byte[] data, int segmentLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (int offset = 0; offset < data.Length; offset += segmentLength)
        {
            var memory = new ReadOnlyMemory<byte>(data, offset, Math.Min(segmentLength, data.Length - offset)).ToArray();
            var segment = new Segment(memory, last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
                first = segment;
            else
                last.SetNext(segment);
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
