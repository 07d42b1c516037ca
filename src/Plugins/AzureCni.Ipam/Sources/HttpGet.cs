using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AzureCni.Ipam.Sources;

/// <summary>
/// A minimal HTTP/1.1 GET to a numeric address: no DNS, no TLS, no connection reuse, so nothing
/// of System.Net.Http is loaded at start-up. Enough for the wireserver, which is plain HTTP on an IP.
/// </summary>
public static class HttpGet
{
    /// <summary>Fetches the body of a 200 response; throws IOException for anything else.</summary>
    public static byte[] Fetch(string url, TimeSpan timeout)
    {
        ParseUrl(url, out var endpoint, out string hostHeader, out string pathAndQuery);
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        int timeoutMs = (int)Math.Max(1, timeout.TotalMilliseconds);
        socket.SendTimeout = timeoutMs;
        socket.ReceiveTimeout = timeoutMs;
        Connect(socket, endpoint, timeoutMs, url);

        byte[] request = Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: azure-vnet-ipam\r\nAccept: */*\r\nConnection: close\r\n\r\n");
        try
        {
            socket.Send(request);
            return ReadResponse(socket, url, Stopwatch.GetTimestamp(), timeout);
        }
        catch (SocketException e)
        {
            throw new IOException($"GET {url}: {e.Message}", e);
        }
    }

    private static void Connect(Socket socket, IPEndPoint endpoint, int timeoutMs, string url)
    {
        // Non-blocking connect bounded by Poll: a blackholed address must not hang the invocation.
        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            if (!socket.Poll(TimeSpan.FromMilliseconds(timeoutMs), SelectMode.SelectWrite))
                throw new IOException($"GET {url}: connect timed out after {timeoutMs} ms");

            int error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != 0)
                throw new IOException($"GET {url}: connect failed: {new SocketException(error).Message}");
        }
        catch (SocketException e)
        {
            throw new IOException($"GET {url}: connect failed: {e.Message}", e);
        }

        socket.Blocking = true;
    }

    // Never pause the writer: reader and writer are this one thread, alternating.
    private static readonly PipeOptions s_pipeOptions = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    // Received bytes go into a pipe and the parser takes them as they come: the status line is checked on
    // the first packet, and reading stops when the body is complete, even if the server keeps the
    // connection open (it may ignore "Connection: close"). One overall deadline bounds it (a per-receive
    // timeout alone would let a slow drip run on).
    private static byte[] ReadResponse(Socket socket, string url, long start, TimeSpan timeout)
    {
        var pipe = new Pipe(s_pipeOptions);
        var parser = new HttpResponseParser(url);
        while (true)
        {
            if (pipe.Reader.TryRead(out ReadResult read))
            {
                pipe.Reader.AdvanceTo(parser.Parse(read.Buffer), read.Buffer.End);
                if (parser.IsDone || read.IsCompleted)
                    break;
            }

            if (Stopwatch.GetElapsedTime(start) > timeout)
                throw new IOException($"GET {url}: no complete response within {timeout.TotalSeconds:0.#} s");

            int n = socket.Receive(pipe.Writer.GetMemory(8192).Span);
            if (n == 0)
            {
                pipe.Writer.Complete();
                continue;
            }

            pipe.Writer.Advance(n);
            ValueTask<FlushResult> flush = pipe.Writer.FlushAsync();
            Debug.Assert(flush.IsCompletedSuccessfully, "an unpaused pipe flushes synchronously");
        }

        return parser.Finish();
    }

    /// <summary>Parses a complete HTTP/1.x response with the same parser; supports Content-Length, chunked and read-to-close bodies.</summary>
    public static byte[] ParseResponse(ReadOnlySpan<byte> response, string url)
    {
        var parser = new HttpResponseParser(url);
        parser.Parse(new System.Buffers.ReadOnlySequence<byte>(response.ToArray()));
        return parser.Finish();
    }

    /// <summary>Accepts http://a.b.c.d[:port]/path?query and http://[v6][:port]/...; rejects names (no DNS here).</summary>
    public static void ParseUrl(string url, out IPEndPoint endpoint, out string hostHeader, out string pathAndQuery)
    {
        const string scheme = "http://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            throw new IOException($"query URL \"{url}\" must start with http://");

        string rest = url[scheme.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string authority = slash < 0 ? rest : rest[..slash];
        pathAndQuery = slash < 0 ? "/" : rest[slash..];
        hostHeader = authority;

        string host = authority;
        int port = 80;
        int portColon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        if (portColon > 0)
        {
            if (!int.TryParse(authority.AsSpan(portColon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is 0 or > 65535)
                throw new IOException($"query URL \"{url}\" has a bad port");

            host = authority[..portColon];
        }

        host = host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
            throw new IOException($"query URL \"{url}\" must name a numeric address (no DNS lookups are made)");

        endpoint = new IPEndPoint(address, port);
    }
}
