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

    [Theory]
    [InlineData("a{D800}b", "\"a\uFFFDb\"")]
    [InlineData("FROB{D800}", "\"FROB\uFFFD\"")]
    [InlineData("{DC00}x", "\"\uFFFDx\"")]
    [InlineData("{D800}{D800}\"", "\"\uFFFD\uFFFD\\\"\"")]
    public void LoneSurrogate_IsReplacedNotWrittenBroken(string template, string expected)
    {
        // Lone surrogates do not survive xunit's theory-data serialisation, so they are made here.
        string value = template.Replace("{D800}", "\ud800").Replace("{DC00}", "\udc00");

        Assert.Equal(expected, WriteString(value));

        byte[] document = WritePropertyNameUtf8(value);
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(document);
        Assert.Equal("{" + expected + ":1}", text);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'b' }, "\"a\uFFFDb\"")]
    [InlineData(new byte[] { (byte)'a', 0xC3 }, "\"a\uFFFD\"")]
    [InlineData(new byte[] { 0xE2, 0x9C }, "\"\uFFFD\"")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80, (byte)'"' }, "\"\uFFFD\\\"\"")]
    [InlineData(new byte[] { 0xED, 0xA0, (byte)'x' }, "\"\uFFFD\uFFFDx\"")]
    public void InvalidUtf8_IsReplacedNotWrittenBroken(byte[] value, string expected)
    {
        Assert.Equal(expected, WriteUtf8(value));
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

    private static byte[] WritePropertyNameUtf8(string name)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteNumber(name, 1);
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static string WriteUtf8(byte[] value)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (Utf8JsonWriter writer = CniJson.CreateWriter(output))
            writer.WriteStringValue(value);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
