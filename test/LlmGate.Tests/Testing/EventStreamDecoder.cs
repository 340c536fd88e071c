using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace LlmGate.Tests.Testing;

/// <summary>A small event-stream decoder for tests: frames with string headers, both CRCs checked.</summary>
internal static class EventStreamDecoder
{
    /// <summary>The frames in <paramref name="bytes"/>; throws on a bad CRC or a truncated frame.</summary>
    public static List<EventStreamFrame> Decode(byte[] bytes)
    {
        var frames = DecodeComplete(bytes, out var consumed);
        return consumed == bytes.Length ? frames : throw new InvalidDataException($"A truncated frame at {consumed}.");
    }

    /// <summary>The complete frames at the start of <paramref name="bytes"/> (a stream read so far); throws on a bad CRC.</summary>
    public static List<EventStreamFrame> DecodeComplete(byte[] bytes, out int consumed)
    {
        var frames = new List<EventStreamFrame>();
        var offset = 0;
        while (bytes.Length - offset >= 12 && BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset)) <= bytes.Length - offset)
        {
            var frame = bytes.AsSpan(offset);
            var total = (int)BinaryPrimitives.ReadUInt32BigEndian(frame);
            var headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
            if (BinaryPrimitives.ReadUInt32BigEndian(frame[8..]) != Crc32.HashToUInt32(frame[..8]))
            {
                throw new InvalidDataException($"Bad prelude at {offset}.");
            }

            if (BinaryPrimitives.ReadUInt32BigEndian(frame[(total - 4)..]) != Crc32.HashToUInt32(frame[..(total - 4)]))
            {
                throw new InvalidDataException($"Bad message CRC at {offset}.");
            }

            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var at = 12; at < 12 + headersLength;)
            {
                var name = Encoding.UTF8.GetString(frame.Slice(at + 1, frame[at]));
                at += 1 + frame[at];
                Assert.Equal(7, frame[at]);
                var length = BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 1)..]);
                headers[name] = Encoding.UTF8.GetString(frame.Slice(at + 3, length));
                at += 3 + length;
            }

            frames.Add(new EventStreamFrame(headers, Encoding.UTF8.GetString(frame[(12 + headersLength)..(total - 4)])));
            offset += total;
        }

        consumed = offset;
        return frames;
    }
}
