using System.Text.Json.Nodes;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class AnthropicStreamTranslatorTests
{
    private const string TextStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" wörld"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private const string ToolStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_2","model":"claude-x","usage":{"input_tokens":5,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private static async Task<(string Output, AnthropicStreamTranslator Translator)> Run(string stream, int pieceSize, bool includeUsage = false, bool crlf = false)
    {
        var translator = new AnthropicStreamTranslator("fallback", 1_700_000_000, includeUsage);
        return (await TranslatedStreams.RunAsync(translator, stream, pieceSize, crlf), translator);
    }

    private static List<JsonNode> Chunks(string output) => TranslatedStreams.Chunks(output);

    [Fact]
    public async Task Translate_TextStream_RoleThenDeltasThenFinishThenDone()
    {
        var (output, translator) = await Run(TextStream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
        var chunks = Chunks(output);
        Assert.All(chunks, c => Assert.Equal(("msg_1", "chat.completion.chunk", "claude-x"), (c["id"]!.GetValue<string>(), c["object"]!.GetValue<string>(), c["model"]!.GetValue<string>())));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("Hello wörld", string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        Assert.Equal("stop", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain(chunks, c => c["usage"] is not null);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task Translate_SplitAnywhere_SameOutputAsWhole(int pieceSize)
    {
        // Splits fall mid-line, mid-event and inside the two bytes of 'ö'.
        Assert.Equal((await Run(TextStream, int.MaxValue)).Output, (await Run(TextStream, pieceSize)).Output);
        Assert.Equal((await Run(ToolStream, int.MaxValue)).Output, (await Run(ToolStream, pieceSize)).Output);
    }

    [Fact]
    public async Task Translate_CrLfLineEndings_Understood()
    {
        var (output, translator) = await Run(TextStream, 5, crlf: true);

        Assert.True(translator.Finished);
        Assert.Equal((await Run(TextStream, int.MaxValue)).Output, output);
        Assert.Contains("wörld", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_ToolStream_ToolCallHeaderThenArgumentFragmentsByIndex()
    {
        var chunks = Chunks((await Run(ToolStream, 3)).Output);

        var toolDeltas = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?[0]).Where(t => t is not null).ToList();
        Assert.Equal("""{"index":0,"id":"toolu_9","type":"function","function":{"name":"get_weather","arguments":""}}""", toolDeltas[0]!.ToJsonString());
        Assert.All(toolDeltas, t => Assert.Equal(0, t!["index"]!.GetValue<int>()));
        Assert.Equal("""{"city": "Paris"}""", string.Concat(toolDeltas.Select(t => t!["function"]!["arguments"]!.GetValue<string>())));
        Assert.Equal("tool_calls", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}""")] // what Anthropic sends
    [InlineData(null)]
    public async Task Translate_ToolWithoutArguments_ArgumentsAreAnEmptyObjectAsInAPlainAnswer(string? emptyDelta)
    {
        var stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_4","model":"claude-x","usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_time","input":{}}}

            EMPTY-DELTA
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}

            event: message_stop
            data: {"type":"message_stop"}


            """.Replace("EMPTY-DELTA", emptyDelta is null ? "" : "event: content_block_delta\ndata: " + emptyDelta + "\n", StringComparison.Ordinal);

        var chunks = Chunks((await Run(stream, 5)).Output);

        var arguments = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?[0]?["function"]?["arguments"]?.GetValue<string>()).OfType<string>();
        Assert.Equal("{}", string.Concat(arguments));
    }

    [Fact]
    public async Task Translate_ToolInputGivenWholeAtItsStart_IsTheArguments()
    {
        const string stream = """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Oslo"}}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}


            """;

        var chunks = Chunks((await Run(stream, int.MaxValue)).Output);

        var arguments = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?[0]?["function"]?["arguments"]?.GetValue<string>()).OfType<string>();
        Assert.Equal("""{"city":"Oslo"}""", string.Concat(arguments));
    }

    [Fact]
    public async Task Translate_IncludeUsage_LastChunkHasUsageAndNoChoices()
    {
        var chunks = Chunks((await Run(TextStream, 11, includeUsage: true)).Output);

        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal("""{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40}""", chunks[^1]["usage"]!.ToJsonString());
    }

    [Fact]
    public async Task Translate_ErrorEvent_OpenAiErrorEventAndFinished()
    {
        const string stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_3","model":"claude-x","usage":{"input_tokens":1,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


            """;

        var (output, translator) = await Run(stream, 9);

        Assert.True(translator.Finished);
        Assert.Equal("Overloaded", translator.ErrorMessage);
        var last = output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal("""data: {"error":{"message":"Overloaded","type":"api_error","param":null,"code":"503"}}""", last);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_StreamCutShort_NotFinished()
    {
        var (_, translator) = await Run(TextStream[..(TextStream.Length / 2)], 13);

        Assert.False(translator.Finished);
    }
}
