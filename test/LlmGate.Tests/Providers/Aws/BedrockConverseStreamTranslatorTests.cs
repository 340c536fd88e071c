using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Aws;
using static LlmGate.Tests.Providers.Aws.EventStreamFrames;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockConverseStreamTranslatorTests
{
    // As Bedrock streams text: no contentBlockStart for a text block, a random padding field "p" on each payload.
    private static readonly byte[] TextStream = Concat(
        Event("messageStart", """{"role":"assistant","p":"abcdefghijk"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcd"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" wörld"},"p":"abcdefghijklmnopq"}"""),
        Event("contentBlockStop", """{"contentBlockIndex":0,"p":"ab"}"""),
        Event("messageStop", """{"stopReason":"end_turn","p":"abcdef"}"""),
        Event("metadata", """{"usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15},"metrics":{"latencyMs":120},"p":"abc"}"""));

    private static readonly byte[] ToolStream = Concat(
        Event("messageStart", """{"role":"assistant"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Checking."}}"""),
        Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":""}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\": \"Pa"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"ris\"}"}}}"""),
        Event("contentBlockStop", """{"contentBlockIndex":1}"""),
        Event("contentBlockStart", """{"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"tooluse_2","name":"get_time"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"{}"}}}"""),
        Event("contentBlockStop", """{"contentBlockIndex":2}"""),
        Event("messageStop", """{"stopReason":"tool_use"}"""),
        Event("metadata", """{"usage":{"inputTokens":50,"outputTokens":30,"totalTokens":80,"cacheReadInputTokens":20}}"""));

    private static readonly byte[] ReasoningStream = Concat(
        Event("messageStart", """{"role":"assistant"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Think"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"ing."}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqoBCkgIARABGAIiQL"}}}"""),
        Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"42"}}"""),
        Event("messageStop", """{"stopReason":"max_tokens"}"""),
        Event("metadata", """{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}"""));

    private static readonly byte[] JsonModeStream = Concat(
        Event("messageStart", """{"role":"assistant"}"""),
        Event("contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"tooluse_j","name":"json_tool_call"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"name\":"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":" \"Tom\"}"}}}"""),
        Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        Event("messageStop", """{"stopReason":"tool_use"}"""),
        Event("metadata", """{"usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7}}"""));

    private static readonly byte[] ExceptionStream = Concat(
        Event("messageStart", """{"role":"assistant"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"}}"""),
        ExceptionFrame("throttlingException", """{"message":"Too many requests, please wait before trying again."}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"lo"}}"""));

    public static readonly TheoryData<string> Streams = new() { nameof(TextStream), nameof(ToolStream), nameof(ReasoningStream), nameof(JsonModeStream), nameof(ExceptionStream) };

    private static byte[] Named(string name) => name switch
    {
        nameof(TextStream) => TextStream,
        nameof(ToolStream) => ToolStream,
        nameof(ReasoningStream) => ReasoningStream,
        nameof(JsonModeStream) => JsonModeStream,
        _ => ExceptionStream,
    };

    private static async Task<(string Output, BedrockConverseStreamTranslator Translator)> Run(byte[] stream, int pieceSize = int.MaxValue, bool includeUsage = false, bool jsonMode = false)
    {
        var translator = new BedrockConverseStreamTranslator("bedrock-claude", 1_700_000_000, includeUsage, jsonMode);
        return (await TranslatedStreams.RunAsync(translator, stream, pieceSize), translator);
    }

    private static List<JsonNode> Chunks(string output) => TranslatedStreams.Chunks(output);

    private static string Joined(List<JsonNode> chunks, string field) =>
        string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]![field]?.GetValue<string>()));

    [Fact]
    public async Task Translate_TextStream_RoleThenDeltasThenFinishThenDone()
    {
        var (output, translator) = await Run(TextStream);

        Assert.True(translator.Finished);
        Assert.EndsWith("}\n\ndata: [DONE]\n\n", output, StringComparison.Ordinal);
        var chunks = Chunks(output);
        var id = chunks[0]["id"]!.GetValue<string>();
        Assert.StartsWith("chatcmpl-", id, StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.Equal((id, "chat.completion.chunk", 1_700_000_000L, "bedrock-claude"),
            (c["id"]!.GetValue<string>(), c["object"]!.GetValue<string>(), c["created"]!.GetValue<long>(), c["model"]!.GetValue<string>())));
        Assert.Equal("""{"role":"assistant","content":""}""", chunks[0]["choices"]![0]!["delta"]!.ToJsonString());
        Assert.Equal("Hello wörld", Joined(chunks, "content"));
        Assert.Equal("""[{"index":0,"delta":{},"finish_reason":"stop"}]""", chunks[^1]["choices"]!.ToJsonString());
        Assert.All(chunks[..^1], c => Assert.Null(c["choices"]![0]!["finish_reason"]));
        Assert.DoesNotContain(chunks, c => c["usage"] is not null);
        Assert.Equal(new TokenUsage(10, 5), translator.Usage);
        Assert.Null(translator.ErrorMessage);
    }

    [Fact]
    public async Task Translate_IncludeUsage_UsageChunkAfterFinishThenDone()
    {
        var (output, _) = await Run(ToolStream, includeUsage: true);

        var last = Chunks(output)[^1];
        Assert.Equal("[]", last["choices"]!.ToJsonString());
        Assert.Equal("""{"prompt_tokens":70,"completion_tokens":30,"total_tokens":100,"prompt_tokens_details":{"cached_tokens":20}}""", last["usage"]!.ToJsonString());
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_ToolStream_ToolCallsByIndexWithArgumentFragments()
    {
        var (output, translator) = await Run(ToolStream);

        var chunks = Chunks(output);
        var toolDeltas = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]).OfType<JsonNode>().Select(t => t.AsArray().Single()!).ToList();
        Assert.Equal(
            [
                (0, "tooluse_1", "get_weather", ""),
                (0, null, null, "{\"city\": \"Pa"),
                (0, null, null, "ris\"}"),
                (1, "tooluse_2", "get_time", ""),
                (1, null, null, "{}"),
            ],
            toolDeltas.Select(t => (t["index"]!.GetValue<int>(), t["id"]?.GetValue<string>(), t["function"]!["name"]?.GetValue<string>(), t["function"]!["arguments"]!.GetValue<string>())));
        Assert.All(toolDeltas.Where(t => t["id"] is not null), t => Assert.Equal("function", t["type"]!.GetValue<string>()));
        Assert.Equal("Checking.", Joined(chunks, "content"));
        Assert.Equal("tool_calls", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(new TokenUsage(70, 30, 20), translator.Usage);
    }

    [Fact]
    public async Task Translate_ToolWithoutArguments_ArgumentsAreAnEmptyObjectAsInAPlainAnswer()
    {
        var stream = Concat(
            Event("messageStart", """{"role":"assistant"}"""),
            Event("contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"tooluse_3","name":"get_time"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":""}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            Event("messageStop", """{"stopReason":"tool_use"}"""),
            Event("metadata", """{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}"""));

        var chunks = Chunks((await Run(stream)).Output);

        var arguments = chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?[0]?["function"]?["arguments"]?.GetValue<string>()).OfType<string>();
        Assert.Equal("{}", string.Concat(arguments));
    }

    [Fact]
    public async Task Translate_ReasoningStream_ReasoningContentThenTextAndLength()
    {
        var (output, _) = await Run(ReasoningStream);

        var chunks = Chunks(output);
        Assert.Equal("Thinking.", Joined(chunks, "reasoning_content"));
        Assert.Equal("42", Joined(chunks, "content"));
        Assert.DoesNotContain("EqoBCkgIARABGAIiQL", output, StringComparison.Ordinal);
        Assert.Equal("length", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_JsonMode_JsonToolArgumentsStreamAsContentAndFinishStop()
    {
        var (output, _) = await Run(JsonModeStream, jsonMode: true);

        var chunks = Chunks(output);
        Assert.Equal("""{"name": "Tom"}""", Joined(chunks, "content"));
        Assert.DoesNotContain("tool_calls", output, StringComparison.Ordinal);
        Assert.Equal("stop", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_JsonToolOutsideJsonMode_AToolCall()
    {
        var (output, _) = await Run(JsonModeStream);

        Assert.Contains("\"name\":\"json_tool_call\"", output, StringComparison.Ordinal);
        Assert.Equal("tool_calls", Chunks(output)[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_ExceptionMidStream_OpenAiErrorEventAndFinishedWithoutDone()
    {
        var (output, translator) = await Run(ExceptionStream);

        Assert.True(translator.Finished);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"lo\"", output, StringComparison.Ordinal);
        var error = Chunks(output)[^1]["error"]!;
        Assert.Equal(("Too many requests, please wait before trying again.", "rate_limit_error"), (error["message"]!.GetValue<string>(), error["type"]!.GetValue<string>()));
        Assert.Equal("Too many requests, please wait before trying again.", translator.ErrorMessage);
        Assert.Null(translator.Usage);
    }

    [Theory]
    [InlineData("throttlingException", 429, "rate_limit_error")]
    [InlineData("serviceUnavailableException", 503, "api_error")]
    [InlineData("validationException", 400, "invalid_request_error")]
    [InlineData("modelStreamErrorException", 500, "api_error")]
    [InlineData("internalServerException", 500, "api_error")]
    [InlineData("somethingNewException", 500, "api_error")]
    public void Translate_ExceptionEvent_StatusAndTypeFromTheExceptionType(string exceptionType, int status, string type)
    {
        var translator = new BedrockConverseStreamTranslator("m", 1, includeUsage: false, jsonMode: false);
        var output = new ArrayBufferWriter<byte>();

        translator.Translate(new UpstreamEvent("exception:" + exceptionType, """{"message":"It failed.","originalStatusCode":500}"""u8.ToArray()), output);

        var error = Chunks(Encoding.UTF8.GetString(output.WrittenSpan)).Single()["error"]!;
        Assert.Equal(("It failed.", type), (error["message"]!.GetValue<string>(), error["type"]!.GetValue<string>()));
        Assert.Equal(status, BedrockErrors.FromStreamEvent(new UpstreamEvent("exception:" + exceptionType, """{"message":"x"}"""u8.ToArray())).Status);
        Assert.True(translator.Finished);
    }

    [Fact]
    public void Translate_GenericErrorFrame_ApiError()
    {
        var translator = new BedrockConverseStreamTranslator("m", 1, includeUsage: false, jsonMode: false);
        var output = new ArrayBufferWriter<byte>();

        translator.Translate(new UpstreamEvent("error:InternalFailure", """{"message":"boom"}"""u8.ToArray()), output);

        Assert.Equal("boom", Chunks(Encoding.UTF8.GetString(output.WrittenSpan)).Single()["error"]!["message"]!.GetValue<string>());
        Assert.True(translator.Finished);
    }

    [Fact]
    public async Task Translate_EndsAfterMessageStopWithoutMetadata_NotFinished()
    {
        var stream = Concat(
            Event("messageStart", """{"role":"assistant"}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            Event("messageStop", """{"stopReason":"end_turn"}"""));

        var (output, translator) = await Run(stream);

        Assert.False(translator.Finished);
        Assert.Contains("\"finish_reason\":\"stop\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_StreamWithoutMessageStart_RoleChunkStillFirst()
    {
        var stream = Concat(
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            Event("messageStop", """{"stopReason":"end_turn"}"""),
            Event("metadata", """{"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}"""));

        var (output, translator) = await Run(stream);

        Assert.True(translator.Finished);
        var chunks = Chunks(output);
        Assert.Equal("""{"role":"assistant","content":""}""", chunks[0]["choices"]![0]!["delta"]!.ToJsonString());
        Assert.Equal("Hi", Joined(chunks, "content"));
    }

    [Fact]
    public async Task Translate_EventsAfterFinish_Ignored()
    {
        var (output, _) = await Run(Concat(TextStream, Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"late"}}""")));

        Assert.DoesNotContain("late", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_PayloadNotJson_JsonException()
    {
        var translator = new BedrockConverseStreamTranslator("m", 1, includeUsage: false, jsonMode: false);

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => translator.Translate(new UpstreamEvent("contentBlockDelta", "{not json"u8.ToArray()), new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Translate_SplitAtEveryByteThroughTheDecoder_SameOutputAsWhole(string name)
    {
        // Splits fall inside preludes, headers, payloads, CRCs and the two bytes of 'ö'; the completion id is fresh per stream.
        var stream = Named(name);
        var jsonMode = name == nameof(JsonModeStream);
        var whole = WithoutId((await Run(stream, includeUsage: true, jsonMode: jsonMode)).Output);
        for (var pieceSize = 1; pieceSize <= stream.Length; pieceSize++)
        {
            var (output, translator) = await Run(stream, pieceSize, includeUsage: true, jsonMode);
            Assert.True(translator.Finished, $"piece size {pieceSize}");
            Assert.Equal(whole, WithoutId(output));
        }

        static string WithoutId(string output) => System.Text.RegularExpressions.Regex.Replace(output, "chatcmpl-[0-9a-f]{24}", "chatcmpl-X");
    }
}
