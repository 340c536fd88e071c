using System.Buffers;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Cohere;

namespace LlmGate.Tests.Providers.Cohere;

public sealed class CohereStreamTranslatorTests
{
    // As Cohere streams it: each event named, its data typed; "ö" to be split between its two bytes; a trailing [DONE].
    private const string TextStream = """
        event: message-start
        data: {"id":"run_1","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

        event: content-start
        data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}

        event: content-delta
        data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hello"}}}}

        event: content-delta
        data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" wörld"}}}}

        event: citation-start
        data: {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":5,"text":"Hello","sources":[]}}}}

        event: citation-end
        data: {"type":"citation-end","index":0}

        event: content-end
        data: {"type":"content-end","index":0}

        event: message-end
        data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":2},"tokens":{"input_tokens":71,"output_tokens":2}}}}

        data: [DONE]


        """;

    private const string ToolStream = """
        event: message-start
        data: {"id":"run_2","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

        event: tool-plan-delta
        data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will check"}}}

        event: tool-plan-delta
        data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":" the weather."}}}

        event: tool-call-start
        data: {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_abc","type":"function","function":{"name":"get_weather","arguments":""}}}}}

        event: tool-call-delta
        data: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\"city\":"}}}}}

        event: tool-call-delta
        data: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"\"Paris\"}"}}}}}

        event: tool-call-end
        data: {"type":"tool-call-end","index":0}

        event: tool-call-start
        data: {"type":"tool-call-start","index":1,"delta":{"message":{"tool_calls":{"id":"now_def","type":"function","function":{"name":"now","arguments":"{}"}}}}}

        event: tool-call-end
        data: {"type":"tool-call-end","index":1}

        event: message-end
        data: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"tokens":{"input_tokens":40,"output_tokens":20}}}}


        """;

    private const string ErrorStream = """
        event: message-start
        data: {"id":"run_3","type":"message-start","delta":{"message":{"role":"assistant"}}}

        event: content-delta
        data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hel"}}}}

        event: message-end
        data: {"type":"message-end","delta":{"error":"internal error: generation failed","finish_reason":"ERROR","usage":{"tokens":{"input_tokens":9,"output_tokens":1}}}}


        """;

    public static readonly TheoryData<string> Streams = new() { TextStream, ToolStream, ErrorStream };

    private static async Task<(string Output, CohereStreamTranslator Translator)> Run(string stream, int pieceSize, bool includeUsage = false, bool crlf = false)
    {
        var translator = new CohereStreamTranslator("command-r-plus", 1_700_000_000, includeUsage);
        return (await TranslatedStreams.RunAsync(translator, stream, pieceSize, crlf), translator);
    }

    private static List<JsonNode> Chunks(string output) => TranslatedStreams.Chunks(output);

    private static string Concat(List<JsonNode> chunks, string field) =>
        string.Concat(chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["delta"]?[field]?.GetValue<string>()));

    [Fact]
    public async Task Translate_TextStream_RoleThenDeltasThenFinishThenDone()
    {
        var (output, translator) = await Run(TextStream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.EndsWith("}\n\ndata: [DONE]\n\n", output, StringComparison.Ordinal);
        var chunks = Chunks(output);
        Assert.All(chunks, c => Assert.Equal(("chatcmpl-run_1", "chat.completion.chunk", 1_700_000_000L, "command-r-plus"),
            (c["id"]!.GetValue<string>(), c["object"]!.GetValue<string>(), c["created"]!.GetValue<long>(), c["model"]!.GetValue<string>())));
        Assert.Equal("""{"role":"assistant","content":""}""", chunks[0]["choices"]![0]!["delta"]!.ToJsonString());
        Assert.Equal("Hello wörld", Concat(chunks, "content"));
        Assert.Equal("""[{"index":0,"delta":{},"finish_reason":"stop"}]""", chunks[^1]["choices"]!.ToJsonString());
        Assert.Equal(4, chunks.Count);
        Assert.DoesNotContain(chunks, c => c["usage"] is not null);
        Assert.Equal(new TokenUsage(71, 2), translator.Usage);
    }

    [Fact]
    public async Task Translate_ToolStream_PlanAsReasoningCallsByIndexFinishToolCalls()
    {
        var chunks = Chunks((await Run(ToolStream, int.MaxValue)).Output);

        Assert.Equal("I will check the weather.", Concat(chunks, "reasoning_content"));
        Assert.Equal("", Concat(chunks, "content"));
        var calls = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?.AsArray().Single()).OfType<JsonNode>().ToList();
        Assert.Equal(
            """{"index":0,"id":"get_weather_abc","type":"function","function":{"name":"get_weather","arguments":""}}""",
            calls[0].ToJsonString());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(calls.Where(c => c["index"]!.GetValue<int>() == 0).Select(c => c["function"]!["arguments"]!.GetValue<string>())));
        Assert.Equal("""{"index":1,"id":"now_def","type":"function","function":{"name":"now","arguments":"{}"}}""", calls[^1].ToJsonString());
        Assert.All(calls.Skip(1).SkipLast(1), c => Assert.Null(c["id"]));
        Assert.Equal("tool_calls", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_IncludeUsage_LastChunkHasUsageAndNoChoicesThenDone()
    {
        var chunks = Chunks((await Run(TextStream, int.MaxValue, includeUsage: true)).Output);

        Assert.Equal("[]", chunks[^1]["choices"]!.ToJsonString());
        Assert.Equal("""{"prompt_tokens":71,"completion_tokens":2,"total_tokens":73}""", chunks[^1]["usage"]!.ToJsonString());
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_ErrorInMessageEnd_OpenAiErrorEventNoDoneAndFinished()
    {
        var (output, translator) = await Run(ErrorStream, int.MaxValue, includeUsage: true);

        Assert.True(translator.Finished);
        Assert.Equal("internal error: generation failed", translator.ErrorMessage);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
        var last = JsonNode.Parse(output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1]["data: ".Length..])!;
        Assert.Equal(("internal error: generation failed", "api_error"), (last["error"]!["message"]!.GetValue<string>(), last["error"]!["type"]!.GetValue<string>()));
        Assert.Equal(new TokenUsage(9, 1), translator.Usage);
    }

    [Fact]
    public async Task Translate_NoMessageStart_RoleChunkStillFirstWithAFreshId()
    {
        const string stream = """
            data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hi"}}}}

            data: {"type":"message-end","delta":{"finish_reason":"MAX_TOKENS"}}


            """;

        var chunks = Chunks((await Run(stream, int.MaxValue)).Output);

        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Matches("^chatcmpl-[0-9a-f]{24}$", chunks[0]["id"]!.GetValue<string>());
        Assert.Equal(("Hi", "length"), (Concat(chunks, "content"), chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Translate_TypeOnlyInEventLine_Read()
    {
        const string stream = """
            event: content-delta
            data: {"index":0,"delta":{"message":{"content":{"text":"Hi"}}}}

            event: message-end
            data: {"delta":{"finish_reason":"COMPLETE"}}


            """;

        var (output, translator) = await Run(stream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.Equal("Hi", Concat(Chunks(output), "content"));
    }

    [Fact]
    public async Task Translate_StreamCutShort_NotFinished()
    {
        var (_, translator) = await Run(TextStream[..(TextStream.Length / 2)], 13);

        Assert.False(translator.Finished);
    }

    [Fact]
    public async Task Translate_DoneWithoutMessageEnd_NotFinished()
    {
        var (_, translator) = await Run(TextStream.Replace("event: message-end", "event: ignored", StringComparison.Ordinal).Replace("\"type\":\"message-end\"", "\"type\":\"ignored\"", StringComparison.Ordinal), int.MaxValue);

        Assert.False(translator.Finished);
    }

    [Fact]
    public void Translate_EventNotAnObject_JsonException()
    {
        var translator = new CohereStreamTranslator("m", 1, includeUsage: false);

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => translator.Translate(new UpstreamEvent("message", "[1]"u8.ToArray()), new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public Task Translate_SplitAtEveryPieceSizeWithLfOrCrLf_SameOutputAsWhole(string stream) =>
        TranslatedStreams.AssertSameAtEveryPieceSizeAsync(() => new CohereStreamTranslator("command-r-plus", 1_700_000_000, includeUsage: true), stream);
}
