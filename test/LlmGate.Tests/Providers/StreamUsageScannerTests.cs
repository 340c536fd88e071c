using System.Text;
using LlmGate.Calls;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class StreamUsageScannerTests
{
    // As OpenAI streams when asked for usage: "usage":null on every chunk, then a usage-only chunk, then [DONE].
    private const string ContentEvents =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"the \\\"usage\\\" word\"},\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";

    private const string UsageEvent =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7,\"total_tokens\":127,\"prompt_tokens_details\":{\"cached_tokens\":100,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n";

    private const string Done = "data: [DONE]\n\n";

    private static readonly TokenUsage Expected = new(120, 7, 100);

    [Theory]
    [InlineData(false, "\n")]
    [InlineData(true, "\n")]
    [InlineData(false, "\r\n")]
    [InlineData(true, "\r\n")]
    public void Scan_RecordedStreamSplitAtEveryByte_UsageReadAndOnlyTheUsageChunkHidden(bool hide, string newline)
    {
        var stream = Bytes((ContentEvents + UsageEvent + Done).Replace("\n", newline, StringComparison.Ordinal));
        var expectedOutput = hide ? Bytes((ContentEvents + Done).Replace("\n", newline, StringComparison.Ordinal)) : stream;

        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var (output, usage) = Relay(stream, hide, cut);

            Assert.True(expectedOutput.AsSpan().SequenceEqual(output), $"output differs when cut at {cut}");
            Assert.Equal(Expected, usage);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scan_OneByteReads_SameAsOneRead(bool hide)
    {
        var stream = Bytes(ContentEvents + UsageEvent + Done);
        var cuts = Enumerable.Range(1, stream.Length - 1).ToArray();

        var (output, usage) = Relay(stream, hide, cuts);

        Assert.Equal(hide ? ContentEvents + Done : ContentEvents + UsageEvent + Done, Encoding.UTF8.GetString(output));
        Assert.Equal(Expected, usage);
    }

    [Fact]
    public void Scan_UsageOnAChunkWithChoices_KeptAndRead()
    {
        // #36168 in LiteLLM: a provider puts usage on a last chunk that still has a choice; its cached tokens count too.
        var last = "data: {\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":40}}}\n\n";
        var stream = Bytes(ContentEvents + last + Done);

        var (output, usage) = Relay(stream, hide: true);

        Assert.Equal(stream, output);
        Assert.Equal(new TokenUsage(50, 3, 40), usage);
    }

    [Fact]
    public void Scan_StreamedTranscription_TokensOfTheDoneEventRead_NothingHidden()
    {
        // gpt-4o-transcribe's stream=true: deltas, then transcript.text.done with the call's token usage.
        var stream = Bytes(
            "data: {\"type\":\"transcript.text.delta\",\"delta\":\"Hello \"}\n\n"
            + "data: {\"type\":\"transcript.text.done\",\"text\":\"Hello\",\"usage\":{\"type\":\"tokens\",\"input_tokens\":20,\"input_token_details\":{\"audio_tokens\":20},\"output_tokens\":3,\"total_tokens\":23}}\n\n");

        var (output, usage) = Relay(stream, hide: false);

        Assert.Equal(stream, output);
        Assert.Equal(new TokenUsage(20, 3), usage);
    }

    [Fact]
    public void Scan_SeveralUsageChunks_LastOneWins()
    {
        var early = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":1}}\n\n";
        var stream = Bytes(early + UsageEvent + Done);

        var (_, usage) = Relay(stream, hide: false);

        Assert.Equal(Expected, usage);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scan_NoUsage_NullAndUnchanged(bool hide)
    {
        var stream = Bytes(ContentEvents + Done);

        var (output, usage) = Relay(stream, hide, 37, 200);

        Assert.Equal(stream, output);
        Assert.Null(usage);
    }

    [Fact]
    public void Scan_ContentReadsWithCompleteEvents_ReturnedAsTheyAre()
    {
        using var scanner = new StreamUsageScanner(hideUsageChunk: true);
        var read = Bytes(ContentEvents);

        var relayed = scanner.Scan(read);

        // Nothing a client could read is held back.
        Assert.Equal(read.Length, relayed.Length);
    }

    [Fact]
    public void End_UnterminatedLastEvent_WrittenWhenHiding()
    {
        var stream = Bytes(ContentEvents + "data: [DONE]");

        var (output, _) = Relay(stream, hide: true, 10);

        Assert.Equal(stream, output);
    }

    [Fact]
    public void Scan_NotJsonAfterUsageKey_Ignored()
    {
        var stream = Bytes("data: {\"usage\":{\"prompt_tokens\":1,}\n\n" + Done);

        var (output, usage) = Relay(stream, hide: true);

        Assert.Equal(stream, output);
        Assert.Null(usage);
    }

    private static (byte[] Output, TokenUsage? Usage) Relay(byte[] stream, bool hide, params int[] cuts)
    {
        using var scanner = new StreamUsageScanner(hide);
        var output = new MemoryStream();
        var start = 0;
        foreach (var cut in cuts.Append(stream.Length))
        {
            // Each read in its own buffer, as a relay reuses one: the scanner may not keep a reference to it.
            var read = stream[start..cut];
            output.Write(scanner.Scan(read).Span);
            Array.Fill(read, (byte)'#');
            start = cut;
        }

        output.Write(scanner.End().Span);
        return (output.ToArray(), scanner.Usage);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
