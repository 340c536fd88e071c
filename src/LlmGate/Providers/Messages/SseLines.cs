using System.Buffers;

namespace LlmGate.Providers.Messages;

/// <summary>
/// Reads server-sent events from bytes pushed in pieces split anywhere (mid-line, inside <c>\r\n</c>, inside a UTF-8
/// character): only whole lines are read, so a character is never cut. Yields each event's <c>data</c> (lines joined
/// with <c>\n</c>); comments and other fields are skipped. The pull-based <see cref="System.Net.ServerSentEvents.SseParser"/>
/// reads a stream, which a translator fed by the relay does not have.
/// </summary>
internal sealed class SseLines
{
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private bool _hasData;
    private bool _returned;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_buffer.Length - _end < bytes.Length)
        {
            var unread = _end - _start;
            var target = unread + bytes.Length > _buffer.Length ? new byte[Math.Max(_buffer.Length * 2, unread + bytes.Length)] : _buffer;
            _buffer.AsSpan(_start, unread).CopyTo(target);
            _buffer = target;
            _start = 0;
            _end = unread;
        }

        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>The data of the next complete event; valid until the next call.</summary>
    public bool TryReadEvent(out ReadOnlySpan<byte> data)
    {
        if (_returned)
        {
            _data.ResetWrittenCount();
            _returned = false;
        }

        int newline;
        while ((newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n')) >= 0)
        {
            var line = _buffer.AsSpan(_start, newline);
            _start += newline + 1;
            if (line is [.., (byte)'\r'])
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                if (_hasData)
                {
                    _hasData = false;
                    _returned = true;
                    data = _data.WrittenSpan;
                    return true;
                }

                continue;
            }

            Field(line);
        }

        data = default;
        return false;
    }

    /// <summary>At the end of the stream: the last event, if its data came without the blank line that ends it.</summary>
    public bool TryReadLast(out ReadOnlySpan<byte> data)
    {
        Append("\n\n"u8);
        return TryReadEvent(out data);
    }

    private void Field(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon == 0 || !(colon < 0 ? line : line[..colon]).SequenceEqual("data"u8))
        {
            return; // a comment (": keep-alive"), or event:, id:, retry:
        }

        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (value is [(byte)' ', ..])
        {
            value = value[1..];
        }

        if (_hasData)
        {
            _data.Write("\n"u8);
        }

        _data.Write(value);
        _hasData = true;
    }
}
