using System.IO.Hashing;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The test library's event-stream encoder reproduces the golden frames that botocore decoded.</summary>
public sealed class AwsEventStreamTests
{
    [Fact]
    public void Crc32_CheckValue_IsIeee() => Assert.Equal(0xCBF43926u, Crc32.HashToUInt32("123456789"u8));

    [Theory]
    [InlineData("messageStart", """{"role":"assistant"}""", 118, "000000760000005296d5fade", "6fa8c599")]
    [InlineData("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""", 151, "0000009700000057f30be03e", "67623831")]
    [InlineData("contentBlockStop", """{"contentBlockIndex":0}""", 125, "0000007d00000056e6680fd6", "b32e4d34")]
    [InlineData("messageStop", """{"stopReason":"end_turn"}""", 122, "0000007a00000051ca2c4665", "5fbf09fc")]
    [InlineData("metadata", """{"metrics":{"latencyMs":120},"usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15}}""", 184, "000000b80000004ed4f1f02b", "254f2c48")]
    public void Event_GoldenFrames_HaveTheirPreludeAndCrc(string eventType, string json, int length, string prelude, string crc)
    {
        var frame = AwsEventStream.Event(eventType, json);

        Assert.Equal((length, prelude, crc), (frame.Length, Convert.ToHexStringLower(frame[..12]), Convert.ToHexStringLower(frame[^4..])));
    }

    [Fact]
    public void Exception_GoldenThrottlingFrame_HasItsPreludeAndCrc()
    {
        var frame = AwsEventStream.Exception("throttlingException", """{"message":"Too many requests, please wait before trying again."}""");

        Assert.Equal((178, "000000b2000000613590d5d3", "e8ffb26a"), (frame.Length, Convert.ToHexStringLower(frame[..12]), Convert.ToHexStringLower(frame[^4..])));
    }

    [Fact]
    public void Event_ContentBlockDelta_IsTheGoldenFrameByteForByte()
    {
        const string Golden = "0000009700000057f30be03e0b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274657874223a2248656c6c6f227d7d67623831";

        Assert.Equal(Golden, Convert.ToHexStringLower(AwsEventStream.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}""")));
    }

    [Fact]
    public void Frame_ElixirVectors_HaveTheirLengthsAndCrcs()
    {
        var bare = AwsEventStream.Frame([], Encoding.UTF8.GetBytes("""{"foo": "bar"}"""));
        var typed = AwsEventStream.Frame([new("content-type", "application/json")], Encoding.UTF8.GetBytes("""{"foo": "bar"}"""));

        Assert.Equal((30, "0000001e00000000baf2f68a", "ae7258e4"), (bare.Length, Convert.ToHexStringLower(bare[..12]), Convert.ToHexStringLower(bare[^4..])));
        Assert.Equal((62, "405df946", "6fa2bf3b"), (typed.Length, Convert.ToHexStringLower(typed[8..12]), Convert.ToHexStringLower(typed[^4..])));
    }

    [Fact]
    public void Decoder_GoldenFrames_RoundTrip()
    {
        var frames = EventStreamDecoder.Decode([.. AwsEventStream.Event("messageStart", """{"role":"assistant"}"""), .. AwsEventStream.Exception("throttlingException", """{"message":"x"}""")]);

        Assert.Equal(("event", "messageStart", """{"role":"assistant"}"""), (frames[0][":message-type"], frames[0][":event-type"], frames[0].Payload));
        Assert.Equal(("exception", "throttlingException"), (frames[1][":message-type"], frames[1][":exception-type"]));
    }
}
