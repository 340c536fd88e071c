using System.Buffers;
using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>
/// Reads <c>usage</c> from an OpenAI-shaped event stream as its reads pass through, and can hide the usage-only chunk
/// (<c>"choices":[]</c>) the gateway asked for on a client's behalf. Events are found by their blank line (<c>\n\n</c>,
/// <c>\r\n\r\n</c>) across reads; only an event with a <c>"usage":{</c> is parsed. Nothing a client could read is
/// delayed: when hiding, only the unterminated end of a read is held back, which no SSE client would dispatch yet.
/// </summary>
internal sealed class StreamUsageScanner(bool hideUsageChunk) : IDisposable
{
    // An event longer than this (never seen from OpenAI) is let through unread rather than held.
    private const int MaxEventBytes = 1024 * 1024;

    // The start of an event whose end has not arrived yet; when hiding, it has not been written either.
    private byte[]? _pending;
    private int _pendingStart;
    private int _pendingLength;

    /// <summary>The last usage object a chunk carried, if any.</summary>
    public TokenUsage? Usage { get; private set; }

    /// <summary>Scans one read (which may be changed in place); returns the bytes to write to the client now.</summary>
    public ReadOnlyMemory<byte> Scan(Memory<byte> read)
    {
        var inPending = _pendingLength > 0;
        var data = inPending ? Append(read.Span) : read;
        var span = data.Span;
        var length = data.Length;
        var scanned = 0;
        int end;
        while ((end = EventEnd(span[..length], scanned)) >= 0)
        {
            if (Inspect(span[scanned..end]) && hideUsageChunk)
            {
                span[end..length].CopyTo(span[scanned..]);
                length -= end - scanned;
                continue;
            }

            scanned = end;
        }

        var restLength = length - scanned;
        if (restLength > MaxEventBytes)
        {
            _pendingLength = 0;
            return hideUsageChunk ? data[..length] : read;
        }

        if (inPending)
        {
            // Already in the pending buffer, after what the caller is about to write: moved down at the next read.
            (_pendingStart, _pendingLength) = (scanned, restLength);
        }
        else
        {
            Hold(span[scanned..length]);
        }

        return hideUsageChunk ? data[..scanned] : read;
    }

    /// <summary>At the end of the stream: the held-back bytes of an event that was never terminated, to write as they are.</summary>
    public ReadOnlyMemory<byte> End()
    {
        if (_pendingLength == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var rest = _pending.AsMemory(_pendingStart, _pendingLength);
        var usageOnly = Inspect(rest.Span);
        _pendingLength = 0;
        return hideUsageChunk && !usageOnly ? rest : ReadOnlyMemory<byte>.Empty;
    }

    public void Dispose()
    {
        if (_pending is { } pending)
        {
            _pending = null;
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    // The held event start with the read after it, as one span to scan.
    private Memory<byte> Append(ReadOnlySpan<byte> read)
    {
        var total = _pendingLength + read.Length;
        if (total > _pending!.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(total);
            _pending.AsSpan(_pendingStart, _pendingLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = larger;
        }
        else if (_pendingStart > 0)
        {
            _pending.AsSpan(_pendingStart, _pendingLength).CopyTo(_pending);
        }

        read.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingStart = 0;
        _pendingLength = 0;
        return _pending.AsMemory(0, total);
    }

    private void Hold(ReadOnlySpan<byte> rest)
    {
        _pendingStart = 0;
        _pendingLength = rest.Length;
        if (rest.IsEmpty)
        {
            return;
        }

        if (_pending is null || _pending.Length < rest.Length)
        {
            if (_pending is not null)
            {
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = ArrayPool<byte>.Shared.Rent(Math.Max(rest.Length, 4096));
        }

        rest.CopyTo(_pending);
    }

    // The index just after the blank line that ends the event starting at from; -1 when it has not arrived.
    private static int EventEnd(ReadOnlySpan<byte> data, int from)
    {
        var i = from;
        while (true)
        {
            var found = data[i..].IndexOfAny((byte)'\n', (byte)'\r');
            if (found < 0)
            {
                return -1;
            }

            var next = AfterLineEnd(data, i + found);
            if (next < 0 || next >= data.Length)
            {
                return -1;
            }

            if (data[next] is (byte)'\n' or (byte)'\r')
            {
                return AfterLineEnd(data, next);
            }

            i = next;
        }
    }

    // A line ends with \n, \r\n or a lone \r; a \r last in the data may still be followed by its \n (-1).
    private static int AfterLineEnd(ReadOnlySpan<byte> data, int at)
    {
        if (data[at] == (byte)'\n')
        {
            return at + 1;
        }

        return at + 1 >= data.Length ? -1 : data[at + 1] == (byte)'\n' ? at + 2 : at + 1;
    }

    // Reads the usage of an event with a "usage":{...} (the others are not parsed); true when it is a usage-only chunk.
    private bool Inspect(ReadOnlySpan<byte> sseEvent)
    {
        var key = sseEvent.IndexOf(OpenAiUsage.Key);
        if (key < 0 || OpenAiUsage.ObjectStart(sseEvent, key) < 0)
        {
            return false;
        }

        var data = sseEvent.IndexOf("data:"u8);
        if (data < 0)
        {
            return false;
        }

        var json = sseEvent[(data + 5)..];
        var lineEnd = json.IndexOfAny((byte)'\n', (byte)'\r');
        json = json[..(lineEnd < 0 ? json.Length : lineEnd)];
        try
        {
            return ReadChunk(json);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool ReadChunk(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var noChoices = true;
        var hasUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isChoices = reader.ValueTextEquals("choices"u8);
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isChoices && reader.TokenType == JsonTokenType.StartArray)
            {
                var first = reader;
                noChoices = first.Read() && first.TokenType == JsonTokenType.EndArray;
            }
            else if (isUsage && reader.TokenType == JsonTokenType.StartObject)
            {
                hasUsage = true;
                OpenAiUsage.TryRead(ref reader, out var usage);
                Usage = usage ?? Usage;
                continue;
            }

            reader.Skip();
        }

        // A chunk that also has choices (some providers send usage on the last content chunk) is the client's: kept.
        return hasUsage && noChoices;
    }
}
