using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace LlmGate.Testing;

/// <summary>
/// AWS's binary event-stream framing (<c>application/vnd.amazon.eventstream</c>), written from its description: a frame
/// is <c>[total length][headers length][CRC-32 of those 8 bytes][headers][payload][CRC-32 of everything before]</c>,
/// all big-endian, each header <c>[name length u8][name][type 7 = string][value length u16][value]</c>.
/// </summary>
public static class AwsEventStream
{
    /// <summary>The bytes a frame adds around its headers and payload: the 12-byte prelude and the 4-byte message CRC.</summary>
    public const int Overhead = 16;

    private const byte StringType = 7;

    /// <summary>A frame with these string headers, in this order, and this payload.</summary>
    public static byte[] Frame(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var encoded = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            encoded.WriteByte(checked((byte)nameBytes.Length));
            encoded.Write(nameBytes);
            encoded.WriteByte(StringType);
            BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)valueBytes.Length));
            encoded.Write(length);
            encoded.Write(valueBytes);
        }

        var headerBytes = encoded.ToArray();
        var frame = new byte[Overhead + headerBytes.Length + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)frame.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.HashToUInt32(frame.AsSpan(0, 8)));
        headerBytes.CopyTo(frame, 12);
        payload.CopyTo(frame.AsSpan(12 + headerBytes.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(frame.Length - 4), Crc32.HashToUInt32(frame.AsSpan(0, frame.Length - 4)));
        return frame;
    }

    /// <summary>An event as Bedrock sends it: headers <c>:event-type</c>, <c>:content-type: application/json</c>, <c>:message-type: event</c>.</summary>
    public static byte[] Event(string eventType, string json) => Frame(
        [new(":event-type", eventType), new(":content-type", "application/json"), new(":message-type", "event")], Encoding.UTF8.GetBytes(json));

    /// <summary>An exception as Bedrock sends it mid-stream: <c>:exception-type</c>, <c>:content-type</c>, <c>:message-type: exception</c>.</summary>
    public static byte[] Exception(string exceptionType, string json) => Frame(
        [new(":exception-type", exceptionType), new(":content-type", "application/json"), new(":message-type", "exception")], Encoding.UTF8.GetBytes(json));
}
