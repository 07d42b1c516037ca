using System.Buffers;
using System.Globalization;
using System.Text;

namespace AzureCni.Ipam.Sources;

/// <summary>
/// An HTTP/1.x response parsed as its bytes arrive: the status line (a non-200 fails before the body is read),
/// the headers, then a Content-Length, chunked or read-to-close body. <see cref="Parse"/> takes whatever is
/// buffered and says how far it got; bytes it cannot use yet (half a line) stay buffered for the next call.
/// </summary>
public sealed class HttpResponseParser(string url)
{
    private const int MaxLineBytes = 16 * 1024;
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private enum Stage { StatusLine, Headers, SizedBody, BodyToClose, ChunkSize, ChunkData, ChunkEnd, Trailers, Done }

    private Stage _stage = Stage.StatusLine;
    private long _contentLength = -1;
    private bool _chunked;
    private long _remaining;
    private byte[] _body = new byte[4096];
    private int _bodyLength;

    /// <summary>True once the body is complete; the connection need not close first.</summary>
    public bool IsDone => _stage == Stage.Done;

    /// <summary>Consumes what it can of <paramref name="buffer"/>; returns the position up to which it did.</summary>
    public SequencePosition Parse(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (_stage != Stage.Done && TryAdvance(ref reader))
        {
        }

        if (_stage is Stage.StatusLine or Stage.Headers or Stage.ChunkSize or Stage.Trailers && reader.Remaining > MaxLineBytes)
            throw Error("header or chunk line too long");
        return reader.Position;
    }

    /// <summary>The body, once <see cref="IsDone"/> or the server has closed the connection.</summary>
    public byte[] Finish() => _stage switch
    {
        Stage.Done or Stage.BodyToClose => _body.AsSpan(0, _bodyLength).ToArray(),
        // A server that closes right after the last chunk, without the final empty line, sent the whole body.
        Stage.Trailers => _body.AsSpan(0, _bodyLength).ToArray(),
        Stage.StatusLine or Stage.Headers => throw Error("truncated HTTP response"),
        Stage.SizedBody => throw Error("body shorter than its Content-Length"),
        _ => throw Error("truncated chunked body"),
    };

    // One step of the current stage; false when it needs more bytes.
    private bool TryAdvance(ref SequenceReader<byte> reader)
    {
        switch (_stage)
        {
            case Stage.StatusLine:
                if (!TryReadLine(ref reader, out string status))
                    return false;
                ReadStatus(status);
                _stage = Stage.Headers;
                return true;
            case Stage.Headers:
                if (!TryReadLine(ref reader, out string header))
                    return false;
                if (header.Length == 0)
                    StartBody();
                else
                    ReadHeader(header);
                return true;
            case Stage.SizedBody:
            case Stage.ChunkData:
                CopyBody(ref reader, Math.Min(_remaining, reader.Remaining));
                if (_remaining > 0)
                    return false;
                _stage = _stage == Stage.SizedBody ? Stage.Done : Stage.ChunkEnd;
                return true;
            case Stage.BodyToClose:
                CopyBody(ref reader, reader.Remaining);
                return false;
            case Stage.ChunkSize:
                if (!TryReadLine(ref reader, out string size))
                    return false;
                _remaining = ChunkSize(size);
                _stage = _remaining == 0 ? Stage.Trailers : Stage.ChunkData;
                return true;
            case Stage.ChunkEnd:
                if (reader.Remaining < 2)
                    return false;
                // Lenient as before: the CRLF after a chunk's data is skipped when present.
                reader.IsNext("\r\n"u8, advancePast: true);
                _stage = Stage.ChunkSize;
                return true;
            case Stage.Trailers:
                if (!TryReadLine(ref reader, out string trailer))
                    return false;
                if (trailer.Length == 0)
                    _stage = Stage.Done;
                return true;
            default:
                return false;
        }
    }

    private void ReadStatus(string line)
    {
        string[] status = line.Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            throw Error($"malformed status line \"{line}\"");
        }

        if (code != 200)
            throw Error($"HTTP {line[(status[0].Length + 1)..]}");
    }

    private void ReadHeader(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            return;

        ReadOnlySpan<char> name = line.AsSpan(0, colon).Trim();
        ReadOnlySpan<char> value = line.AsSpan(colon + 1).Trim();
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _contentLength))
                throw Error("bad Content-Length");
        }
        else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            _chunked = true;
    }

    private void StartBody()
    {
        if (_chunked)
            _stage = Stage.ChunkSize;
        else if (_contentLength >= 0)
        {
            if (_contentLength > MaxBodyBytes)
                throw Error($"response larger than {MaxBodyBytes} bytes");
            _remaining = _contentLength;
            _stage = _remaining == 0 ? Stage.Done : Stage.SizedBody;
        }
        else
            _stage = Stage.BodyToClose;
    }

    private long ChunkSize(string line)
    {
        int extension = line.IndexOf(';', StringComparison.Ordinal);
        ReadOnlySpan<char> text = (extension >= 0 ? line.AsSpan(0, extension) : line.AsSpan()).Trim();
        if (!int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
            throw Error("malformed chunk");
        return size;
    }

    private void CopyBody(ref SequenceReader<byte> reader, long count)
    {
        if (_bodyLength + count > MaxBodyBytes)
            throw Error($"response larger than {MaxBodyBytes} bytes");
        if (_bodyLength + count > _body.Length)
            Array.Resize(ref _body, (int)Math.Min(MaxBodyBytes, Math.Max(_body.Length * 2, _bodyLength + count)));

        reader.UnreadSequence.Slice(0, count).CopyTo(_body.AsSpan(_bodyLength));
        reader.Advance(count);
        _bodyLength += (int)count;
        _remaining -= count;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, out string line)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> bytes, "\r\n"u8))
        {
            line = "";
            return false;
        }

        line = Encoding.ASCII.GetString(bytes);
        return true;
    }

    private IOException Error(string message) => new($"GET {url}: {message}");
}
