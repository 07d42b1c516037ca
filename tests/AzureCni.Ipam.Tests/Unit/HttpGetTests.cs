using System.Net;
using System.Text;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

public class HttpGetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FetchesFromALoopbackServer(bool chunked)
    {
        using var server = new FakeWireserver("<Interfaces/>") { Chunked = chunked };
        Assert.Equal("<Interfaces/>", Encoding.UTF8.GetString(HttpGet.Fetch(server.Url, TimeSpan.FromSeconds(5))));
        Assert.Equal(1, server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StopsAtTheEndOfTheBodyWhenTheServerKeepsTheConnection(bool chunked)
    {
        using var server = new FakeWireserver("<Interfaces/>") { Chunked = chunked, KeepOpen = true };
        Assert.Equal("<Interfaces/>", Encoding.UTF8.GetString(HttpGet.Fetch(server.Url, TimeSpan.FromSeconds(3))));
    }

    [Fact]
    public void NonOkStatusIsAnError()
    {
        using var server = new FakeWireserver("x") { FailStatus = "503 Service Unavailable" };
        var error = Assert.Throws<IOException>(() => HttpGet.Fetch(server.Url, TimeSpan.FromSeconds(5)));
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedConnectionIsAnError()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.Throws<IOException>(() => HttpGet.Fetch($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("http://168.63.129.16/machine/plugins?comp=nmagent&type=getinterfaceinfov1", "168.63.129.16", 80, "/machine/plugins?comp=nmagent&type=getinterfaceinfov1")]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", 8080, "/")]
    [InlineData("http://[::1]:81/a", "::1", 81, "/a")]
    [InlineData("http://[::1]/a", "::1", 80, "/a")]
    public void ParsesNumericUrls(string url, string address, int port, string path)
    {
        HttpGet.ParseUrl(url, out var endpoint, out _, out string pathAndQuery);
        Assert.Equal(IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(path, pathAndQuery);
    }

    [Theory]
    [InlineData("https://127.0.0.1/")]
    [InlineData("http://wireserver/")]
    [InlineData("http://127.0.0.1:99999/")]
    public void RejectsUrlsItCannotServeWithoutDnsOrTls(string url) =>
        Assert.Throws<IOException>(() => HttpGet.ParseUrl(url, out _, out _, out _));

    [Fact]
    public void ParsesResponses()
    {
        Assert.Equal("abc"u8.ToArray(), HttpGet.ParseResponse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"u8, "u"));
        Assert.Equal("hello world"u8.ToArray(), HttpGet.ParseResponse("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"u8, "u"));
        Assert.Throws<IOException>(() => HttpGet.ParseResponse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"u8, "u"));
        Assert.Throws<IOException>(() => HttpGet.ParseResponse("garbage\r\n\r\n"u8, "u"));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")]
    public async Task ResponseArrivingByteByByte_IsParsedAsItComes_AndEndsWithTheBody(string response)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        var parser = new HttpResponseParser("u");
        byte[] bytes = Encoding.ASCII.GetBytes(response);
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.False(parser.IsDone, $"done after {i} of {bytes.Length} bytes");
            await pipe.Writer.WriteAsync(bytes.AsMemory(i, 1));
            Assert.True(pipe.Reader.TryRead(out var read));
            pipe.Reader.AdvanceTo(parser.Parse(read.Buffer), read.Buffer.End);
        }

        Assert.True(parser.IsDone);
        Assert.Equal("hello world", Encoding.ASCII.GetString(parser.Finish()));
    }

    [Fact]
    public void NonOkStatus_FailsOnTheStatusLine_BeforeAnyHeader()
    {
        var parser = new HttpResponseParser("u");
        var error = Assert.Throws<IOException>(() => parser.Parse(new System.Buffers.ReadOnlySequence<byte>("HTTP/1.1 404 Not Found\r\nCont"u8.ToArray())));
        Assert.Contains("HTTP 404 Not Found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedOrTruncatedResponses_AreErrors()
    {
        Assert.Throws<IOException>(() => HttpGet.ParseResponse("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n"u8, "u"));
        Assert.Throws<IOException>(() => HttpGet.ParseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"u8, "u"));
        Assert.Throws<IOException>(() => HttpGet.ParseResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"u8, "u"));
        Assert.Throws<IOException>(() => HttpGet.ParseResponse("HTTP/1.1 200 OK\r\nContent-"u8, "u"));
        Assert.Throws<IOException>(() => HttpGet.ParseResponse(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX: " + new string('a', 20000)), "u"));
    }
}
