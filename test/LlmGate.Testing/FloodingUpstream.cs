using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlmGate.Testing;

/// <summary>
/// A raw-TCP upstream that answers each request with an endless SSE stream written as fast as the socket takes it, and
/// counts the bytes the kernel accepted: what a fast model does to a gateway whose client reads slowly. Its socket send
/// buffer is set small so that what it has written is close to what the gateway has taken. Each stream stops when the
/// gateway closes the connection (<see cref="Closed"/>), at <see cref="MaxBytes"/>, or when disposed.
/// </summary>
public sealed class FloodingUpstream : IAsyncDisposable
{
    /// <summary>Each stream stops here, so a gateway that never pushes back still ends the test in bounded time.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>The upstream socket's SO_SNDBUF request (Linux doubles it for bookkeeping and keeps at least 4608).</summary>
    public const int SendBufferBytes = 4096;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _streaming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FloodShape _shape;
    private readonly Task _accepting;
    private long _written;

    private FloodingUpstream(FloodShape shape)
    {
        _shape = shape;
        _listener.Server.SendBufferSize = SendBufferBytes; // accepted sockets inherit it
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Body bytes (events with their chunk framing) the kernel has accepted from the upstream so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _written);

    /// <summary>Completes when the first stream's headers have been sent.</summary>
    public Task Streaming => _streaming.Task;

    /// <summary>Completes when the gateway has closed (or reset) the connection of a stream.</summary>
    public Task Closed => _closed.Task;

    public static FloodingUpstream Start(FloodShape shape) => new(shape);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var streams = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                streams.Add(FloodAsync(socket));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }

        await Task.WhenAll(streams);
    }

    private async Task FloodAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        try
        {
            await ReadRequestAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"), _stop.Token);
            _streaming.TrySetResult();
            foreach (var prologue in _shape.Prologue)
            {
                await WriteChunkAsync(stream, prologue);
            }

            while (Interlocked.Read(ref _written) < MaxBytes)
            {
                await WriteChunkAsync(stream, _shape.Repeated);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            _closed.TrySetResult();
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task WriteChunkAsync(NetworkStream stream, byte[] chunk)
    {
        await stream.WriteAsync(chunk, _stop.Token);
        Interlocked.Add(ref _written, chunk.Length);
    }

    // Headers up to the blank line, then Content-Length bytes of body; the content is not looked at.
    private async Task ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The gateway closed the connection before its request was whole.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var headers = Encoding.ASCII.GetString([.. received[..headerEnd]]);
        var length = headers.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var remaining = length - (received.Count - headerEnd - 4);
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), _stop.Token);
            if (read == 0)
            {
                throw new IOException("The gateway closed the connection before its request body was whole.");
            }

            remaining -= read;
        }
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }
}
