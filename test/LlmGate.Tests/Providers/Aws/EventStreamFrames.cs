using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Amazon.Runtime.EventStreams;

namespace LlmGate.Tests.Providers.Aws;

/// <summary>Encodes AWS event stream frames as Bedrock sends them, with AWS's own encoder (<see cref="EventStreamMessage.ToByteArray"/>).</summary>
internal static class EventStreamFrames
{
    /// <summary>An event frame, headers in Bedrock's order (as botocore's golden frames have them).</summary>
    public static byte[] Event(string eventType, string json) =>
        Frame(json, (":event-type", eventType), (":content-type", "application/json"), (":message-type", "event"));

    public static byte[] ExceptionFrame(string exceptionType, string json) =>
        Frame(json, (":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception"));

    public static byte[] ErrorFrame(string code, string message) =>
        Frame("", (":error-code", code), (":error-message", message), (":message-type", "error"));

    public static byte[] Frame(string payload, params (string Name, string Value)[] headers)
    {
        var list = new List<IEventStreamHeader>();
        foreach (var (name, value) in headers)
        {
            var header = new EventStreamHeader(name);
            header.SetString(value);
            list.Add(header);
        }

        return new EventStreamMessage(list, Encoding.UTF8.GetBytes(payload)).ToByteArray();
    }

    /// <summary>A frame of raw header bytes (any header type) and payload, both CRCs right.</summary>
    public static byte[] Raw(byte[] headers, byte[] payload)
    {
        var frame = new byte[16 + headers.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.HashToUInt32(frame.AsSpan(0, 8)));
        headers.CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(frame.Length - 4), Crc32.HashToUInt32(frame.AsSpan(0, frame.Length - 4)));
        return frame;
    }

    public static byte[] Concat(params byte[][] frames) => [.. frames.SelectMany(f => f)];
}
