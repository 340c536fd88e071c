using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon.Runtime.EventStreams;
using LlmGate.OpenAi;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Reads AWS's binary event stream (<c>application/vnd.amazon.eventstream</c>: Bedrock's ConverseStream and
/// InvokeModelWithResponseStream) as <see cref="UpstreamEvent"/>s, frame by frame as the frames arrive. A frame is
/// <c>[total length][headers length][prelude CRC][headers][payload][message CRC]</c>, big-endian, CRC-32/IEEE.
/// <para>
/// An event frame (<c>:message-type</c> <c>event</c>) becomes its <c>:event-type</c> and payload. An exception frame
/// (<c>exception</c>, e.g. Bedrock's throttling mid-stream) becomes <c>exception:</c> + its <c>:exception-type</c>
/// (<c>exception:throttlingException</c>) and its payload <c>{"message":…}</c>. A generic error frame (<c>error</c>)
/// becomes <c>error:</c> + its <c>:error-code</c>, with <c>{"message": :error-message}</c>. The translators tell them
/// apart by those prefixes.
/// </para>
/// </summary>
internal static class AwsEventStreams
{
    public const string ExceptionPrefix = "exception:";

    public const string ErrorPrefix = "error:";

    /// <summary>AWS's own limit on a frame (the SDKs' <c>MAX_MESSAGE_SIZE</c>): a longer announced length is corruption, not a frame to buffer.</summary>
    public const int MaxFrameLength = 16 * 1024 * 1024;

    private const int PreludeLength = 12;

    // The prelude and the message CRC.
    private const int FramingLength = PreludeLength + 4;

    // Bedrock's frames are a few hundred bytes.
    private const int InitialBufferSize = 4 * 1024;

    /// <summary>
    /// The stream's events. Each frame is read exactly (its prelude, then the rest), into a buffer that holds that frame
    /// alone from its first byte: nothing past the frame is held, and <see cref="EventStreamMessage.FromBuffer"/> gets its
    /// frame at offset 0, the only offset at which its header loop counts right. The HTTP stack buffers the socket, so
    /// the small reads cost a copy each, not a system call. The buffer grows only for a frame longer than it, up to
    /// <see cref="MaxFrameLength"/>.
    /// </summary>
    /// <exception cref="IOException">A frame fails a CRC check, announces an impossible length, or is cut short by the end of the stream.</exception>
    public static async IAsyncEnumerable<UpstreamEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            while (true)
            {
                var read = await FillAsync(body, buffer, 0, PreludeLength, cancellationToken);
                if (read == 0)
                {
                    yield break;
                }

                if (read < PreludeLength)
                {
                    throw new IOException($"The event stream ended inside a frame's prelude ({read} of {PreludeLength} bytes).");
                }

                var length = FrameLength(buffer.AsSpan(0, PreludeLength));
                if (length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(length);
                    buffer.AsSpan(0, PreludeLength).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                read = await FillAsync(body, buffer, PreludeLength, length, cancellationToken);
                if (read < length)
                {
                    throw new IOException($"The event stream ended inside a frame ({read} of {length} bytes).");
                }

                yield return ToEvent(Decode(buffer, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One whole frame, in <c>buffer[..length]</c>, both CRCs checked, decoded by AWS's <see cref="EventStreamMessage"/>.</summary>
    /// <exception cref="IOException">The frame is corrupt or malformed.</exception>
    public static EventStreamMessage Decode(byte[] buffer, int length)
    {
        var frame = buffer.AsSpan(0, length);
        if (length < FramingLength || FrameLength(frame[..PreludeLength]) != length)
        {
            throw new IOException($"The event stream frame is {length} bytes, not the length its prelude announces.");
        }

        // FromBuffer parses the headers before it checks the message CRC, so a corrupted header would surface as
        // whatever its parser trips on; checked first, every corruption reads as what it is.
        var expected = BinaryPrimitives.ReadUInt32BigEndian(frame[^4..]);
        var actual = Crc32.HashToUInt32(frame[..^4]);
        if (actual != expected)
        {
            throw new IOException($"An event stream frame fails its message CRC check (the frame says {expected:x8}, its bytes give {actual:x8}).");
        }

        try
        {
            return EventStreamMessage.FromBuffer(buffer, 0, length);
        }
        catch (Exception exception) when (exception is EventStreamParseException or EventStreamChecksumFailureException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // CRCs right, headers wrong: the sender's bug, e.g. an unknown header type or a header running past its block.
            throw new IOException($"An event stream frame has malformed headers: {exception.Message}", exception);
        }
    }

    /// <summary>A decoded frame as the event the translators read (see the class summary for the three message types).</summary>
    /// <exception cref="IOException">The frame has no known <c>:message-type</c>, or an event frame no <c>:event-type</c>.</exception>
    public static UpstreamEvent ToEvent(EventStreamMessage message)
    {
        var messageType = Header(message, ":message-type");
        switch (messageType)
        {
            case "event":
                var eventType = Header(message, ":event-type") ?? throw new IOException("An event stream event frame has no ':event-type' header.");
                return new UpstreamEvent(eventType, message.Payload ?? []);
            case "exception":
                return new UpstreamEvent(ExceptionPrefix + (Header(message, ":exception-type") ?? "unknown"), message.Payload ?? []);
            case "error":
                return new UpstreamEvent(ErrorPrefix + (Header(message, ":error-code") ?? "unknown"), MessageJson(Header(message, ":error-message") ?? ""));
            default:
                throw new IOException($"An event stream frame has the ':message-type' '{messageType}'; 'event', 'exception' or 'error' was expected.");
        }
    }

    private static string? Header(EventStreamMessage message, string name) =>
        message.Headers is not null && message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String
            ? header.AsString()
            : null;

    // The frame's total length from its prelude, once the prelude's CRC and lengths are sound: a corrupted length must
    // not make the reader wait for, or allocate, bytes that are not a frame.
    private static int FrameLength(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        var actual = Crc32.HashToUInt32(prelude[..8]);
        if (actual != expected)
        {
            throw new IOException($"An event stream frame fails its prelude CRC check (the frame says {expected:x8}, its bytes give {actual:x8}).");
        }

        if (total is < FramingLength or > MaxFrameLength || headers > total - FramingLength)
        {
            throw new IOException($"An event stream frame announces {total} bytes with {headers} bytes of headers; a frame is {FramingLength} bytes to 16 MiB, headers included.");
        }

        return (int)total;
    }

    // Reads buffer[filled..target], or what the stream has of it before it ends; returns how far the buffer is filled.
    private static async ValueTask<int> FillAsync(Stream body, byte[] buffer, int filled, int target, CancellationToken cancellationToken)
    {
        while (filled < target)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled, target - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static byte[] MessageJson(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
