using System.Diagnostics;
using System.Globalization;
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
    private const int MaxResponseBytes = 4 * 1024 * 1024;

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

    // Reads until the server closes, or the body is complete (a server may ignore "Connection: close"),
    // within one overall deadline (a per-receive timeout alone would let a slow drip run on).
    private static byte[] ReadResponse(Socket socket, string url, long start, TimeSpan timeout)
    {
        var buffer = new byte[8192];
        int length = 0;
        while (!IsComplete(buffer.AsSpan(0, length)))
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
                throw new IOException($"GET {url}: no complete response within {timeout.TotalSeconds:0.#} s");

            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxResponseBytes)
                    throw new IOException($"GET {url}: response larger than {MaxResponseBytes} bytes");

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int n = socket.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0)
                break;

            length += n;
        }

        return ParseResponse(buffer.AsSpan(0, length), url);
    }

    private static bool IsComplete(ReadOnlySpan<byte> response)
    {
        int headerEnd = response.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
            return false;

        string head = Encoding.ASCII.GetString(response[..headerEnd]);
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;

            ReadOnlySpan<char> name = line.AsSpan(0, colon).Trim();
            ReadOnlySpan<char> value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long contentLength))
            {
                return response.Length - headerEnd - 4 >= contentLength;
            }

            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                return response.EndsWith("\r\n0\r\n\r\n"u8) || response[(headerEnd + 4)..].StartsWith("0\r\n\r\n"u8);
        }

        return false;
    }

    /// <summary>Splits a complete HTTP/1.x response; supports Content-Length, chunked and read-to-close bodies.</summary>
    public static byte[] ParseResponse(ReadOnlySpan<byte> response, string url)
    {
        int headerEnd = response.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
            throw new IOException($"GET {url}: truncated HTTP response");

        string head = Encoding.ASCII.GetString(response[..headerEnd]);
        ReadOnlySpan<byte> body = response[(headerEnd + 4)..];
        string[] lines = head.Split("\r\n");
        string[] status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            throw new IOException($"GET {url}: malformed status line \"{lines[0]}\"");
        }

        if (code != 200)
            throw new IOException($"GET {url}: HTTP {lines[0][(status[0].Length + 1)..]}");

        long contentLength = -1;
        bool chunked = false;
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;

            ReadOnlySpan<char> name = lines[i].AsSpan(0, colon).Trim();
            ReadOnlySpan<char> value = lines[i].AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out contentLength))
                    throw new IOException($"GET {url}: bad Content-Length");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        if (chunked)
            return Dechunk(body, url);

        if (contentLength >= 0)
        {
            if (body.Length < contentLength)
                throw new IOException($"GET {url}: body shorter than its Content-Length");

            return body[..(int)contentLength].ToArray();
        }

        return body.ToArray();
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> body, string url)
    {
        var output = new List<byte>(body.Length);
        while (true)
        {
            int lineEnd = body.IndexOf("\r\n"u8);
            if (lineEnd < 0)
                throw new IOException($"GET {url}: truncated chunked body");

            ReadOnlySpan<byte> sizeText = body[..lineEnd];
            int extension = sizeText.IndexOf((byte)';');
            if (extension >= 0)
                sizeText = sizeText[..extension];

            if (!int.TryParse(Encoding.ASCII.GetString(sizeText).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size)
                || size < 0 || body.Length < lineEnd + 2 + size)
            {
                throw new IOException($"GET {url}: malformed chunk");
            }

            if (size == 0)
                return [.. output];

            foreach (byte b in body.Slice(lineEnd + 2, size))
                output.Add(b);

            body = body[(lineEnd + 2 + size)..];
            if (body.StartsWith("\r\n"u8))
                body = body[2..];
        }
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
