using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LlmGate.Testing;

/// <summary>
/// An upstream that speaks HTTP/1.1 by hand on a raw socket, on 127.0.0.1 at a free port, so a test can misbehave at
/// the byte level (resets, wrong lengths, malformed heads). It reads each request (head and Content-Length body) and
/// hands it to <see cref="Answer"/>; a connection stays open for the next request until the peer closes it or the
/// answer ends it. It counts requests and the connections accepted and not yet closed: a gateway that keeps a broken
/// connection shows up as one left open. Given a certificate it speaks TLS first (a failed handshake closes the connection).
/// </summary>
public sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly ChangeSignal _changed;
    private readonly Task _accepting;
    private readonly X509Certificate2? _certificate;
    private int _requests;
    private int _openConnections;

    private RawUpstream(X509Certificate2? certificate)
    {
        _certificate = certificate;
        _changed = new ChangeSignal(_gate, "raw upstream");
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>How each request is answered: the default answers nothing (the connection stays open).</summary>
    public Func<RawExchange, Task> Answer { get; set; } = _ => Task.CompletedTask;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Cancelled when the fake stops: an answer that waits forever waits on this.</summary>
    public CancellationToken Stopping => _stop.Token;

    public int Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests;
            }
        }
    }

    public int OpenConnections
    {
        get
        {
            lock (_gate)
            {
                return _openConnections;
            }
        }
    }

    /// <param name="certificate">With its private key: the upstream speaks HTTPS with it.</param>
    public static RawUpstream Start(X509Certificate2? certificate = null) => new(certificate);

    /// <summary>Waits (on the fake's own signal, not a sleep) until no more than <paramref name="count"/> connections are open.</summary>
    public Task WaitForOpenConnectionsAtMostAsync(int count, TimeSpan timeout) =>
        _changed.WaitForAsync(() => _openConnections <= count, timeout, $"at most {count} open connection(s)", () => $"{_openConnections} open");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    /// <summary>Writes text as UTF-8 and flushes it.</summary>
    public static async Task WriteAsync(Stream stream, string text)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stream.FlushAsync();
    }

    /// <summary>Ends the connection with an RST instead of a FIN: linger on with a zero timeout.</summary>
    public static void Reset(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>A complete 200 answer with a JSON body and its Content-Length.</summary>
    public static string JsonAnswer(string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_gate)
                {
                    _openConnections++;
                    _changed.Signal();
                }

                _ = ServeAsync(socket);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using var owned = socket;
            await using var stream = await OpenAsync(socket);
            var received = new List<byte>();
            while (await ReadRequestAsync(stream, received))
            {
                int number;
                lock (_gate)
                {
                    number = ++_requests;
                    _changed.Signal();
                }

                await Answer(new RawExchange(stream, socket, number, _stop.Token));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _openConnections--;
                _changed.Signal();
            }
        }
    }

    private async Task<Stream> OpenAsync(Socket socket)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (_certificate is null)
        {
            return network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
            return tls;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException)
        {
            await tls.DisposeAsync();
            throw new IOException("TLS handshake failed", exception);
        }
    }

    // One request's head and Content-Length body, taken off the front of what was received; false at the peer's close.
    private async Task<bool> ReadRequestAsync(Stream stream, List<byte> received)
    {
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return false;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray());
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine[15..].Trim(), CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return false;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        received.RemoveRange(0, headEnd + 4 + length);
        return true;
    }

    private static int IndexOfHeadEnd(List<byte> received)
    {
        for (var i = 0; i + 3 < received.Count; i++)
        {
            if (received[i] == '\r' && received[i + 1] == '\n' && received[i + 2] == '\r' && received[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
