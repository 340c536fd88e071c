using System.Net.Sockets;
using System.Text;

namespace LlmGate.Testing;

/// <summary>
/// A client on a raw socket with a small receive buffer, so that what it has not read piles up in the gateway and not
/// in its own kernel: it sends one POST and then reads a few bytes at a time, or nothing at all.
/// </summary>
public sealed class SlowClient : IDisposable
{
    /// <summary>The SO_RCVBUF request (Linux doubles it and keeps at least 2304).</summary>
    public const int ReceiveBufferBytes = 2048;

    private readonly Socket _socket;
    private long _read;

    private SlowClient(Socket socket) => _socket = socket;

    /// <summary>Bytes read so far: the response's status line and headers included.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    /// <summary>Set when the gateway closed or reset the connection while this client read.</summary>
    public bool ConnectionEnded { get; private set; }

    /// <summary>Connects to 127.0.0.1 and sends the request whole; reads nothing.</summary>
    public static async Task<SlowClient> PostAsync(Uri gateway, string path, string json, string? authorization = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = ReceiveBufferBytes };
        try
        {
            await socket.ConnectAsync("127.0.0.1", gateway.Port);
            var body = Encoding.UTF8.GetBytes(json);
            var auth = authorization is null ? "" : $"Authorization: {authorization}\r\n";
            var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{gateway.Port}\r\nContent-Type: application/json\r\n{auth}Content-Length: {body.Length}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            await socket.SendAsync(body);
            return new SlowClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads at most <paramref name="bytesPerRead"/> bytes, then pauses <paramref name="pause"/> (the pause is the client's
    /// slowness, not a wait for anything), until <paramref name="duration"/> has passed or the connection ends.
    /// </summary>
    public async Task ReadSlowlyAsync(TimeSpan duration, int bytesPerRead, TimeSpan pause)
    {
        var buffer = new byte[bytesPerRead];
        using var deadline = new CancellationTokenSource(duration);
        try
        {
            while (!deadline.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    ConnectionEnded = true;
                    return;
                }

                Interlocked.Add(ref _read, read);
                await Task.Delay(pause, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The duration is up.
        }
        catch (SocketException)
        {
            ConnectionEnded = true;
        }
    }

    public void Dispose() => _socket.Dispose();
}
