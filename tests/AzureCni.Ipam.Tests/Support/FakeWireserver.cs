using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AzureCni.Ipam.Tests.Support;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 that answers every GET with the current body and counts requests. It accepts and
/// serves on threads of its own, never the thread pool: the code under test blocks its thread on the socket, and
/// under a loaded test run a pool-scheduled server can wait seconds for a thread and fail the client's timeout.
/// </summary>
public sealed class FakeWireserver : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _loop;
    private int _requests;

    public FakeWireserver(string body)
    {
        Body = body;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(256);
        _loop = new Thread(AcceptLoop) { IsBackground = true, Name = "fake wireserver" };
        _loop.Start();
    }

    public volatile string Body;

    /// <summary>When set, answers with this status instead of 200.</summary>
    public volatile string? FailStatus;

    public bool Chunked { get; set; }

    /// <summary>Keeps the connection open after the response, as a server ignoring "Connection: close" would.</summary>
    public bool KeepOpen { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/machine/plugins?comp=nmagent&type=getinterfaceinfov1";

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception)
            {
                return; // the listener was stopped
            }

            new Thread(() => Serve(client)) { IsBackground = true, Name = "fake wireserver connection" }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                Answer(client.GetStream());
            }
            catch (IOException)
            {
                // The client gave up or the server is stopping.
            }
        }
    }

    private void Answer(NetworkStream stream)
    {
        var buffer = new byte[4096];
        int length = 0;
        while (true)
        {
            int n = stream.Read(buffer.AsSpan(length));
            if (n == 0)
                return;

            length += n;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
                break;
        }

        Interlocked.Increment(ref _requests);
        byte[] body = Encoding.UTF8.GetBytes(Body);
        string status = FailStatus ?? "200 OK";
        var response = new MemoryStream();
        if (Chunked)
        {
            response.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"));
            int half = body.Length / 2;
            response.Write(Encoding.ASCII.GetBytes($"{half:x}\r\n"));
            response.Write(body, 0, half);
            response.Write(Encoding.ASCII.GetBytes($"\r\n{body.Length - half:x}\r\n"));
            response.Write(body, half, body.Length - half);
            response.Write("\r\n0\r\n\r\n"u8);
        }
        else
        {
            response.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {body.Length}\r\n\r\n"));
            response.Write(body);
        }

        stream.Write(response.ToArray());
        if (KeepOpen)
            _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Join(TimeSpan.FromSeconds(2));
    }
}
