using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlmGate.Bench.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection driven over a raw socket: it writes pre-encoded request bytes and reads the
/// response with only the parsing that framing needs (status line, Content-Length or chunked encoding), so the
/// load generator costs little CPU next to the process it measures. Not thread-safe: one request at a time.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[32 * 1024];
    private readonly byte[] _tail = new byte[16];
    private int _start;
    private int _end;
    private int _tailLength;

    private LoadConnection(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<LoadConnection> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new LoadConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<ExchangeResult> ExchangeAsync(ReadOnlyMemory<byte> request)
    {
        var sent = 0;
        while (sent < request.Length)
        {
            sent += await _socket.SendAsync(request[sent..], SocketFlags.None);
        }

        int headerLength;
        while ((headerLength = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync();
        }

        var head = ResponseHead.Parse(_buffer.AsSpan(_start, headerLength));
        _start += headerLength + 4;
        _tailLength = 0;
        long firstBody = 0;
        if (head.ContentLength >= 0)
        {
            var remaining = head.ContentLength;
            while (remaining > 0)
            {
                if (_start == _end)
                {
                    await FillAsync();
                }

                if (firstBody == 0)
                {
                    firstBody = Stopwatch.GetTimestamp();
                }

                remaining -= Consume((int)Math.Min(remaining, _end - _start));
            }
        }
        else if (head.Chunked)
        {
            while (true)
            {
                var size = await ReadChunkSizeAsync();
                if (size == 0)
                {
                    // No trailers are expected: the last chunk is followed by an empty line.
                    while (await ReadLineLengthAsync() > 0)
                    {
                    }

                    break;
                }

                if (firstBody == 0)
                {
                    firstBody = Stopwatch.GetTimestamp();
                }

                var remaining = size;
                while (remaining > 0)
                {
                    if (_start == _end)
                    {
                        await FillAsync();
                    }

                    remaining -= Consume((int)Math.Min(remaining, _end - _start));
                }

                if (await ReadLineLengthAsync() != 0)
                {
                    throw new InvalidDataException("A chunk is longer than its size says.");
                }
            }
        }
        else if (head.Status is not (204 or 304))
        {
            throw new InvalidDataException("The response has neither Content-Length nor chunked encoding.");
        }

        return new ExchangeResult(head.Status, firstBody, _tail.AsSpan(0, _tailLength).EndsWith(Done), head.KeepAlive);
    }

    public void Dispose() => _socket.Dispose();

    private int Consume(int count)
    {
        var data = _buffer.AsSpan(_start, count);
        if (count >= _tail.Length)
        {
            data[^_tail.Length..].CopyTo(_tail);
            _tailLength = _tail.Length;
        }
        else
        {
            var keep = Math.Min(_tailLength, _tail.Length - count);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + count;
        }

        _start += count;
        return count;
    }

    private async ValueTask<long> ReadChunkSizeAsync()
    {
        var length = await ReadLineLengthAsync();
        var line = _buffer.AsSpan(_start - length - 2, length);
        var extension = line.IndexOf((byte)';');
        if (extension >= 0)
        {
            line = line[..extension];
        }

        if (!Utf8Parser.TryParse(line, out long size, out var consumed, 'X') || consumed != line.Length || size < 0)
        {
            throw new InvalidDataException("A chunk size is not hexadecimal: " + Encoding.ASCII.GetString(line));
        }

        return size;
    }

    // Consumes one CRLF-terminated line and returns its length without the CRLF; its bytes stay just before _start.
    private async ValueTask<int> ReadLineLengthAsync()
    {
        int length;
        while ((length = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync();
        }

        _start += length + 2;
        return length;
    }

    private async ValueTask FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new InvalidDataException("A response line or header block is larger than the read buffer.");
            }

            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new EndOfStreamException("The server closed the connection in the middle of a response.");
        }

        _end += read;
    }
}
