using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using LlmGate.Providers;
using LlmGate.Providers.Aws;
using LlmGate.Testing;

namespace LlmGate.Tests.Providers.Aws;

public sealed class AwsEventStreamsTests
{
    // The reference's golden contentBlockDelta frame, decoded by botocore.
    private const string DeltaFrameHex =
        "0000009700000057f30be03e0b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274657874223a2248656c6c6f227d7d67623831";

    private static async Task<List<UpstreamEvent>> ReadAll(byte[] stream, int pieceSize = int.MaxValue)
    {
        var events = new List<UpstreamEvent>();
        await using var body = new PiecewiseStream(stream, pieceSize);
        await foreach (var upstreamEvent in AwsEventStreams.ReadAsync(body, CancellationToken.None))
        {
            events.Add(upstreamEvent);
        }

        return events;
    }

    private static string Text(UpstreamEvent upstreamEvent) => Encoding.UTF8.GetString(upstreamEvent.Data.Span);

    [Fact]
    public async Task ReadAsync_GoldenContentBlockDeltaFrame_EventTypeAndPayload()
    {
        var events = await ReadAll(Convert.FromHexString(DeltaFrameHex));

        var single = Assert.Single(events);
        Assert.Equal("contentBlockDelta", single.Type);
        Assert.Equal("""{"contentBlockIndex":0,"delta":{"text":"Hello"}}""", Text(single));
    }

    [Theory]
    [InlineData("messageStart", """{"role":"assistant"}""", 118, "000000760000005296d5fade", "6fa8c599")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""", 151, "0000009700000057f30be03e", "67623831")]
    [InlineData("contentBlockStop", """{"contentBlockIndex":0}""", 125, "0000007d00000056e6680fd6", "b32e4d34")]
    [InlineData("messageStop", """{"stopReason":"end_turn"}""", 122, "0000007a00000051ca2c4665", "5fbf09fc")]
    [InlineData("metadata", """{"metrics":{"latencyMs":120},"usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15}}""", 184, "000000b80000004ed4f1f02b", "254f2c48")]
    public async Task ReadAsync_GoldenEventFrames_SameBytesAsBotocoreAndDecoded(string eventType, string payload, int length, string prelude, string crc)
    {
        var frame = EventStreamFrames.Event(eventType, payload);

        Assert.Equal((length, prelude, crc), (frame.Length, Convert.ToHexStringLower(frame[..12]), Convert.ToHexStringLower(frame[^4..])));
        var single = Assert.Single(await ReadAll(frame));
        Assert.Equal((eventType, payload), (single.Type, Text(single)));
    }

    [Fact]
    public async Task ReadAsync_GoldenExceptionFrame_ExceptionPrefixedTypeAndMessagePayload()
    {
        var frame = EventStreamFrames.ExceptionFrame("throttlingException", """{"message":"Too many requests, please wait before trying again."}""");

        Assert.Equal((178, "000000b2000000613590d5d3", "e8ffb26a"), (frame.Length, Convert.ToHexStringLower(frame[..12]), Convert.ToHexStringLower(frame[^4..])));
        var single = Assert.Single(await ReadAll(frame));
        Assert.Equal("exception:throttlingException", single.Type);
        Assert.Equal("""{"message":"Too many requests, please wait before trying again."}""", Text(single));
    }

    [Fact]
    public async Task ReadAsync_ErrorFrame_ErrorPrefixedCodeAndMessageAsJson()
    {
        var single = Assert.Single(await ReadAll(EventStreamFrames.ErrorFrame("InternalFailure", "It \"broke\" — sorry")));

        Assert.Equal("error:InternalFailure", single.Type);
        Assert.Equal("It \"broke\" — sorry", System.Text.Json.JsonDocument.Parse(single.Data).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void Decode_ElixirVectorWithoutHeaders_CrcsCheckedPayloadRead()
    {
        var frame = Convert.FromHexString("0000001e00000000baf2f68a" + Convert.ToHexString("""{"foo": "bar"}"""u8) + "ae7258e4");

        var message = AwsEventStreams.Decode(frame, frame.Length);

        Assert.Equal(30, frame.Length);
        Assert.Empty(message.Headers);
        Assert.Equal("""{"foo": "bar"}""", Encoding.UTF8.GetString(message.Payload));
        // No :message-type: not an event a translator can take.
        Assert.Contains(":message-type", Assert.Throws<IOException>(() => AwsEventStreams.ToEvent(message)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ElixirVectorWithContentTypeHeader_MatchesItsCrcs()
    {
        var frame = EventStreamFrames.Frame("""{"foo": "bar"}""", ("content-type", "application/json"));

        Assert.Equal((62, "405df946", "6fa2bf3b"), (frame.Length, Convert.ToHexStringLower(frame[8..12]), Convert.ToHexStringLower(frame[^4..])));
        Assert.Equal("application/json", AwsEventStreams.Decode(frame, frame.Length).Headers["content-type"].AsString());
    }

    [Fact]
    public async Task ReadAsync_SeveralFramesSplitAtEveryByte_SameEventsAsWhole()
    {
        var stream = EventStreamFrames.Concat(
            EventStreamFrames.Event("messageStart", """{"role":"assistant"}"""),
            EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Grüße"},"p":"abcdefghij"}"""),
            EventStreamFrames.Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            EventStreamFrames.ExceptionFrame("throttlingException", """{"message":"slow down"}"""),
            EventStreamFrames.Event("metadata", """{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}"""));
        var whole = (await ReadAll(stream)).Select(e => (e.Type, Text(e))).ToList();

        Assert.Equal(["messageStart", "contentBlockDelta", "contentBlockStop", "exception:throttlingException", "metadata"], whole.Select(e => e.Type));
        for (var pieceSize = 1; pieceSize <= stream.Length; pieceSize++)
        {
            Assert.Equal(whole, (await ReadAll(stream, pieceSize)).Select(e => (e.Type, Text(e))));
        }
    }

    [Fact]
    public void Decode_BufferLongerThanTheFrame_OnlyTheFrameRead()
    {
        var frame = Convert.FromHexString(DeltaFrameHex);

        Assert.Equal("contentBlockDelta", AwsEventStreams.ToEvent(AwsEventStreams.Decode([.. frame, 1, 2, 3], frame.Length)).Type);
    }

    [Fact]
    public async Task ReadAsync_FrameLargerThanTheBuffer_ReadWhole()
    {
        var text = new string('x', 100_000);
        var stream = EventStreamFrames.Concat(
            EventStreamFrames.Event("contentBlockDelta", $$$"""{"delta":{"text":"{{{text}}}"}}"""),
            EventStreamFrames.Event("messageStop", """{"stopReason":"end_turn"}"""));

        var events = await ReadAll(stream, 7_000);

        Assert.Equal(["contentBlockDelta", "messageStop"], events.Select(e => e.Type));
        Assert.Contains(text, Text(events[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_NoEvents()
    {
        Assert.Empty(await ReadAll([]));
    }

    [Fact]
    public async Task ReadAsync_EndsInsideAFrame_IOExceptionAtEveryCut()
    {
        var first = EventStreamFrames.Event("messageStart", """{"role":"assistant"}""");
        var stream = EventStreamFrames.Concat(first, EventStreamFrames.Event("messageStop", """{"stopReason":"end_turn"}"""));

        for (var cut = first.Length + 1; cut < stream.Length; cut++)
        {
            var exception = await Assert.ThrowsAsync<IOException>(() => ReadAll(stream[..cut], 16));
            Assert.Contains("ended inside a frame", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadAsync_CorruptedByteAnywhere_IOExceptionNamingTheCrc()
    {
        var frame = EventStreamFrames.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""");

        for (var i = 0; i < frame.Length; i++)
        {
            var corrupted = (byte[])frame.Clone();
            corrupted[i] ^= 0x20;
            var exception = await Assert.ThrowsAsync<IOException>(() => ReadAll(corrupted));
            Assert.Contains(i < 12 ? "prelude CRC" : "message CRC", exception.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0x7FFF_FFFFu, 0u)]
    [InlineData(16u * 1024 * 1024 + 1, 0u)]
    [InlineData(15u, 0u)]
    [InlineData(40u, 30u)]
    public async Task ReadAsync_ImpossibleLengthsWithAValidPreludeCrc_IOExceptionWithoutWaiting(uint total, uint headers)
    {
        var prelude = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(prelude, total);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(4), headers);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.HashToUInt32(prelude.AsSpan(0, 8)));

        var exception = await Assert.ThrowsAsync<IOException>(() => ReadAll(prelude));

        Assert.Contains("announces", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownHeaderTypeWithValidCrcs_IOException()
    {
        var frame = EventStreamFrames.Raw([4, (byte)'n', (byte)'a', (byte)'m', (byte)'e', 42, 0, 0], "{}"u8.ToArray());

        var exception = await Assert.ThrowsAsync<IOException>(() => ReadAll(frame));

        Assert.Contains("malformed headers", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EventFrameWithoutEventType_IOException()
    {
        var frame = EventStreamFrames.Frame("{}", (":message-type", "event"));

        Assert.Contains(":event-type", (await Assert.ThrowsAsync<IOException>(() => ReadAll(frame))).Message, StringComparison.Ordinal);
    }
}
