using System.Text;
using System.Text.Json;
using AzureCni.Json;

namespace AzureCni.Generators.Tests.Runtime;

public sealed class MinimalJsonEncoderTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("line\nfeed\ttab\rret\bbs\fff", "\"line\\nfeed\\ttab\\rret\\bbs\\fff\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001F\"")]
    [InlineData("héllo wörld ✓ 😀", "\"héllo wörld ✓ 😀\"")]
    [InlineData("<html> & 'quotes' +", "\"<html> & 'quotes' +\"")]
    [InlineData("\u007f/", "\"\u007f/\"")]
    public void StringValue_IsEscapedOnlyWhereJsonRequires(string value, string expected)
    {
        Assert.Equal(expected, WriteString(value));
        Assert.Equal(expected, WriteUtf8(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void PropertyName_IsEscapedLikeValues()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("k\"é", "v");
            writer.WriteEndObject();
        }

        Assert.Equal("{\"k\\\"é\":\"v\"}", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void LoneSurrogate_IsReplacedNotWrittenBroken()
    {
        string written = WriteString("a\ud800b");

        Assert.Equal("\"a\uFFFDb\"", written);
    }

    [Fact]
    public void InvalidUtf8_IsReplacedNotWrittenBroken()
    {
        string written = WriteUtf8([(byte)'a', 0xFF, (byte)'b']);

        Assert.Equal("\"a\uFFFDb\"", written);
    }

    [Fact]
    public void Output_IsReadBackToTheOriginalString()
    {
        string original = "\"\\\u0000\u0010 end ✓ 😀 \u2028";

        string written = WriteString(original);

        Assert.Equal(original, JsonDocument.Parse(written).RootElement.GetString());
    }

    [Fact]
    public void WillEncode_IsTrueOnlyForQuoteBackslashAndControls()
    {
        Assert.True(MinimalJsonEncoder.Instance.WillEncode('"'));
        Assert.True(MinimalJsonEncoder.Instance.WillEncode('\\'));
        Assert.True(MinimalJsonEncoder.Instance.WillEncode(0x1F));
        Assert.False(MinimalJsonEncoder.Instance.WillEncode(' '));
        Assert.False(MinimalJsonEncoder.Instance.WillEncode('<'));
        Assert.False(MinimalJsonEncoder.Instance.WillEncode(0x00E9));
        Assert.False(MinimalJsonEncoder.Instance.WillEncode(0x1F600));
    }

    [Fact]
    public void Encode_OfAString_EscapesOnlyRequiredCharacters()
    {
        Assert.Equal("x\\\"y\\u0002é", MinimalJsonEncoder.Instance.Encode("x\"y\u0002é"));
    }

    private static string WriteString(string value)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
            writer.WriteStringValue(value);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string WriteUtf8(byte[] value)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
            writer.WriteStringValue(value);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
