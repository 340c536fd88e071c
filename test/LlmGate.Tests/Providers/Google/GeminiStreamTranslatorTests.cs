using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Google;

namespace LlmGate.Tests.Providers.Google;

public sealed partial class GeminiStreamTranslatorTests
{
    // As Google sends it with alt=sse: data lines only, no event names, no [DONE]; "ö" to be split between its two bytes.
    private const string TextStream = """
        data: {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4},"modelVersion":"gemini-2.0-flash","responseId":"r1"}

        data: {"candidates":[{"content":{"parts":[{"text":" wörld"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":4,"totalTokenCount":4},"modelVersion":"gemini-2.0-flash","responseId":"r1"}

        data: {"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":3,"totalTokenCount":7},"modelVersion":"gemini-2.0-flash","responseId":"r1"}


        """;

    private const string FunctionStream = """
        data: {"candidates":[{"content":{"parts":[{"text":"Checking."}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":20,"totalTokenCount":20},"responseId":"r2"}

        data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},{"functionCall":{"name":"get_time","args":{}},"thoughtSignature":"c2ln"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":10,"totalTokenCount":30},"responseId":"r2"}


        """;

    private const string ThoughtStream = """
        data: {"candidates":[{"content":{"parts":[{"text":"Thinking about it.","thought":true}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":5,"thoughtsTokenCount":12,"totalTokenCount":17},"responseId":"r3"}

        data: {"candidates":[{"content":{"parts":[{"text":"42"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":5,"thoughtsTokenCount":12,"totalTokenCount":17},"responseId":"r3"}

        data: {"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1,"thoughtsTokenCount":12,"cachedContentTokenCount":2,"totalTokenCount":18},"responseId":"r3"}


        """;

    private const string TwoCandidateStream = """
        data: {"candidates":[{"content":{"parts":[{"text":"A"}],"role":"model"},"index":0},{"content":{"parts":[{"text":"B"}],"role":"model"},"index":1}],"responseId":"r4"}

        data: {"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"},"finishReason":"STOP","index":0}],"responseId":"r4"}

        data: {"candidates":[{"content":{"parts":[{"text":"b"}],"role":"model"},"finishReason":"MAX_TOKENS","index":1}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":7},"responseId":"r4"}


        """;

    private const string BlockedStream = """
        data: {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]},"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"responseId":"r5"}


        """;

    private const string ErrorStream = """
        data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"responseId":"r6"}

        data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}


        """;

    public static readonly TheoryData<string> Streams = new() { TextStream, FunctionStream, ThoughtStream, TwoCandidateStream, BlockedStream, ErrorStream };

    private static async Task<(string Output, GeminiStreamTranslator Translator)> Run(string stream, int pieceSize, bool includeUsage = false, bool crlf = false)
    {
        var translator = new GeminiStreamTranslator("gemini-flash", 1_700_000_000, includeUsage);
        return (await TranslatedStreams.RunAsync(translator, stream, pieceSize, crlf), translator);
    }

    private static List<JsonNode> Chunks(string output) => TranslatedStreams.Chunks(output);

    private static IEnumerable<JsonNode> Deltas(List<JsonNode> chunks, int choice) =>
        chunks.Select(c => c["choices"]!.AsArray().SingleOrDefault(ch => ch!["index"]!.GetValue<int>() == choice)).OfType<JsonNode>();

    private static string Concat(List<JsonNode> chunks, string field, int choice = 0) =>
        string.Concat(Deltas(chunks, choice).Select(d => d["delta"]![field]?.GetValue<string>()));

    [GeneratedRegex("call_[0-9a-f]{24}")]
    private static partial Regex ToolCallId();

    [Fact]
    public async Task Translate_TextStream_RoleThenDeltasThenFinishThenDone()
    {
        var (output, translator) = await Run(TextStream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.EndsWith("}\n\ndata: [DONE]\n\n", output, StringComparison.Ordinal);
        var chunks = Chunks(output);
        Assert.All(chunks, c => Assert.Equal(("chatcmpl-r1", "chat.completion.chunk", 1_700_000_000L, "gemini-flash"),
            (c["id"]!.GetValue<string>(), c["object"]!.GetValue<string>(), c["created"]!.GetValue<long>(), c["model"]!.GetValue<string>())));
        Assert.Equal("""{"role":"assistant","content":""}""", chunks[0]["choices"]![0]!["delta"]!.ToJsonString());
        Assert.Equal("Hello wörld!", Concat(chunks, "content"));
        Assert.Equal("""[{"index":0,"delta":{},"finish_reason":"stop"}]""", chunks[^1]["choices"]!.ToJsonString());
        Assert.All(chunks[..^1], c => Assert.Null(c["choices"]![0]!["finish_reason"]));
        Assert.DoesNotContain(chunks, c => c["usage"] is not null);
        Assert.Equal(new TokenUsage(4, 3), translator.Usage);
    }

    [Fact]
    public async Task Translate_FunctionStream_WholeToolCallsByIndexThenFinishToolCalls()
    {
        var chunks = Chunks((await Run(FunctionStream, int.MaxValue)).Output);

        Assert.Equal("Checking.", Concat(chunks, "content"));
        var calls = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?.AsArray().Single()).OfType<JsonNode>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(
            """{"index":0,"id":"call_X","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}""",
            ToolCallId().Replace(calls[0].ToJsonString(), "call_X"));
        Assert.Equal("""{"city":"Paris"}""", calls[0]["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal((1, "get_time", "{}"), (calls[1]["index"]!.GetValue<int>(), calls[1]["function"]!["name"]!.GetValue<string>(), calls[1]["function"]!["arguments"]!.GetValue<string>()));
        Assert.EndsWith("__thought__c2ln", calls[1]["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("tool_calls", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_ThoughtStream_ReasoningContentDeltasAndReasoningUsage()
    {
        var (output, translator) = await Run(ThoughtStream, int.MaxValue, includeUsage: true);

        var chunks = Chunks(output);
        Assert.Equal("Thinking about it.", Concat(chunks, "reasoning_content"));
        Assert.Equal("42", Concat(chunks, "content"));
        Assert.Equal(
            """{"prompt_tokens":5,"completion_tokens":13,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":12}}""",
            chunks[^1]["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(5, 13, 2), translator.Usage);
    }

    [Fact]
    public async Task Translate_IncludeUsage_LastChunkHasUsageAndNoChoicesThenDone()
    {
        var (output, _) = await Run(TextStream, int.MaxValue, includeUsage: true);

        var chunks = Chunks(output);
        Assert.Equal("""{"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1700000000,"model":"gemini-flash","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7}}""", chunks[^1].ToJsonString());
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
        Assert.Single(chunks, c => c["usage"] is not null);
    }

    [Fact]
    public async Task Translate_TwoCandidates_EachChoiceStartsAndFinishesOnItsOwn()
    {
        var (output, translator) = await Run(TwoCandidateStream, int.MaxValue);

        var chunks = Chunks(output);
        Assert.Equal(("Aa", "Bb"), (Concat(chunks, "content", 0), Concat(chunks, "content", 1)));
        Assert.Equal(["assistant", "assistant"], chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["delta"]!["role"]?.GetValue<string>()).OfType<string>());
        Assert.Equal("stop", Deltas(chunks, 0).Last()["finish_reason"]!.GetValue<string>());
        Assert.Equal("length", Deltas(chunks, 1).Last()["finish_reason"]!.GetValue<string>());
        Assert.True(translator.Finished);
    }

    [Fact]
    public void Translate_TwoCandidates_NotFinishedWhileOneIsOpen()
    {
        var translator = new GeminiStreamTranslator("gemini-flash", 1, includeUsage: false);
        var output = new ArrayBufferWriter<byte>();
        var events = TwoCandidateStream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => Encoding.UTF8.GetBytes(e["data: ".Length..])).ToList();

        translator.Translate(new UpstreamEvent("message", events[0]), output);
        translator.Translate(new UpstreamEvent("message", events[1]), output);
        Assert.False(translator.Finished);
        Assert.Null(translator.Usage);

        translator.Translate(new UpstreamEvent("message", events[2]), output);
        Assert.True(translator.Finished);
        Assert.Equal(new TokenUsage(3, 4), translator.Usage);
    }

    [Fact]
    public async Task Translate_BlockedPrompt_ContentFilterChoiceAndFinished()
    {
        var (output, translator) = await Run(BlockedStream, int.MaxValue, includeUsage: true);

        Assert.True(translator.Finished);
        var chunks = Chunks(output);
        Assert.Equal(3, chunks.Count);
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("""[{"index":0,"delta":{},"finish_reason":"content_filter"}]""", chunks[1]["choices"]!.ToJsonString());
        Assert.Equal(9, chunks[2]["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_SafetyFinishMidStream_ContentFilter()
    {
        const string stream = """
            data: {"candidates":[{"content":{"parts":[{"text":"Well"}],"role":"model"},"index":0}],"responseId":"r7"}

            data: {"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"HIGH","blocked":true}]}],"responseId":"r7"}


            """;

        var (output, translator) = await Run(stream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.Equal("content_filter", Chunks(output)[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_ErrorPayload_OpenAiErrorEventAndFinished()
    {
        var (output, translator) = await Run(ErrorStream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.Equal("The model is overloaded. Please try again later.", translator.ErrorMessage);
        Assert.Equal("Hel", Concat(Chunks(output)[..^1], "content"));
        var last = output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal("""data: {"error":{"message":"The model is overloaded. Please try again later.","type":"api_error","param":null,"code":"503"}}""", last);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_RateLimitErrorPayload_RateLimitErrorEvent()
    {
        const string stream = """
            data: {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}


            """;

        var (output, _) = await Run(stream, int.MaxValue);

        Assert.Equal("""data: {"error":{"message":"Resource has been exhausted (e.g. check quota).","type":"rate_limit_error","param":null,"code":"429"}}""", output.TrimEnd('\n'));
    }

    [Fact]
    public async Task Translate_EventsAfterFinish_Ignored()
    {
        var (output, _) = await Run(TextStream + TextStream, int.MaxValue);

        Assert.Equal((await Run(TextStream, int.MaxValue)).Output, output);
    }

    [Fact]
    public async Task Translate_UsageOnlyEvent_UsageKeptNoChunk()
    {
        const string stream = """
            data: {"usageMetadata":{"promptTokenCount":2,"totalTokenCount":2},"responseId":"r8"}


            """;

        var (output, translator) = await Run(stream, int.MaxValue);

        Assert.Equal("", output);
        Assert.False(translator.Finished);
        Assert.Equal(new TokenUsage(2, 0), translator.Usage);
    }

    [Fact]
    public async Task Translate_StreamCutShort_NotFinished()
    {
        var (_, translator) = await Run(TextStream[..(TextStream.Length / 2)], 13);

        Assert.False(translator.Finished);
    }

    [Fact]
    public void Translate_EventNotAnObject_JsonException()
    {
        var translator = new GeminiStreamTranslator("gemini-flash", 1, includeUsage: false);

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => translator.Translate(new UpstreamEvent("message", "[1]"u8.ToArray()), new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public Task Translate_SplitAtEveryPieceSizeWithLfOrCrLf_SameOutputAsWhole(string stream) =>
        // Tool call ids are fresh per call.
        TranslatedStreams.AssertSameAtEveryPieceSizeAsync(
            () => new GeminiStreamTranslator("gemini-flash", 1_700_000_000, includeUsage: true), stream, output => ToolCallId().Replace(output, "call_X"));
}
