using System.Net;
using System.Net.Sockets;

namespace LlmGate.Bench.Load;

/// <summary>
/// One streamed request held open for the idle-streams scenario, over a raw socket with a small buffer (the harness
/// holds thousands): it opens once the response's head and first event have arrived, then keeps one receive pending
/// to see the next chunks and to notice an early end (the connection closed, or <c>[DONE]</c> arrived).
/// </summary>
internal sealed class IdleStreamConnection : IDisposable
{
    private static readonly byte[] Done = "[DONE]"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[2048];
    private int _ended;
    private long _chunksAfterFirst;

    private IdleStreamConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Why the stream ended before the harness closed it; null while it is alive.</summary>
    public string? EndedEarly { get; private set; }

    /// <summary>Reads after the first event: each is one or more chunks the target relayed.</summary>
    public long ChunksAfterFirst => Interlocked.Read(ref _chunksAfterFirst);

    /// <summary>Connects, sends <paramref name="request"/> and waits for a 2xx head and the first event.</summary>
    public static async Task<IdleStreamConnection> OpenAsync(IPEndPoint endPoint, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new IdleStreamConnection(socket);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            var length = 0;
            int head;
            while (true)
            {
                var read = await socket.ReceiveAsync(connection._buffer.AsMemory(length), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The target closed the stream before its first chunk.");
                }

                length += read;
                var received = connection._buffer.AsSpan(0, length);
                head = received.IndexOf("\r\n\r\n"u8);
                if (head >= 0 && received[(head + 4)..].IndexOf("\n\n"u8) >= 0)
                {
                    break;
                }

                if (length == connection._buffer.Length)
                {
                    throw new InvalidDataException("The head and first chunk do not fit in 2 KB.");
                }
            }

            var status = ResponseHead.Parse(connection._buffer.AsSpan(0, head)).Status;
            if (status is < 200 or >= 300)
            {
                throw new InvalidDataException($"HTTP {status}");
            }

            // Runs until the socket is closed; it catches what a closed socket throws.
            _ = connection.ReadAsync();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _ended, 1);
        _socket.Dispose();
    }

    // Anything after the first event: a chunk; the end of the connection or [DONE] before Dispose: an early end.
    private async Task ReadAsync()
    {
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None);
                if (read == 0)
                {
                    MarkEnded("the connection closed");
                    return;
                }

                Interlocked.Increment(ref _chunksAfterFirst);
                if (_buffer.AsSpan(0, read).IndexOf(Done) >= 0)
                {
                    MarkEnded("the stream ended ([DONE])");
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            MarkEnded("socket: " + exception.Message);
        }
    }

    private void MarkEnded(string reason)
    {
        if (Volatile.Read(ref _ended) == 0)
        {
            EndedEarly = reason;
        }
    }
}
