using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers.Messages;
using static LlmGate.Tests.Providers.Messages.AnthropicEvents;

namespace LlmGate.Tests.Providers.Messages;

public sealed class MessagesStreamTranslatorTests
{
    private const string Head = """{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[""";

    private static readonly string TextStream = Sse(
        Head + """{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""",
        Head + """{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}""",
        Head + """{"index":0,"delta":{"content":" wörld 👋"},"finish_reason":null}]}""",
        Head + """{"index":0,"delta":{},"finish_reason":"stop"}]}""",
        Head + """],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":2}}}""",
        "[DONE]");

    // Text, then two tool calls whose arguments arrive in many fragments, as OpenAI streams them.
    private static readonly string ToolStream = Sse(
        [
            Head + """{"index":0,"delta":{"role":"assistant","content":"Checking both."},"finish_reason":null}]}""",
            Head + """{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}""",
            .. Fragments(0, """{"city": "Zürich", "unit": "celsius"}"""),
            Head + """{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_B","type":"function","function":{"name":"get_time","arguments":""}}]},"finish_reason":null}]}""",
            .. Fragments(1, """{"zone": "Europe/Zurich"}"""),
            Head + """{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            Head + """],"usage":{"prompt_tokens":50,"completion_tokens":30,"total_tokens":80}}""",
            "[DONE]",
        ]);

    private static string Sse(params string[] data) => string.Concat(data.Select(d => $"data: {d}\n\n"));

    private static IEnumerable<string> Fragments(int index, string arguments) =>
        arguments.Chunk(3).Select(piece => Head + $$$"""{"index":0,"delta":{"tool_calls":[{"index":{{{index}}},"function":{"arguments":{{{JsonValue.Create(new string(piece)).ToJsonString()}}}}}]},"finish_reason":null}]}""");

    [Fact]
    public void Feed_TextStream_AnthropicSequence()
    {
        var events = Parse(RunWhole(TextStream));

        AssertWellFormed(events);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Type));
        var message = events[0].Data["message"]!;
        Assert.Equal(("msg_chatcmpl-9", "claude-sonnet-4-5", "assistant"), (message["id"]!.GetValue<string>(), message["model"]!.GetValue<string>(), message["role"]!.GetValue<string>()));
        Assert.Empty(message["content"]!.AsArray());
        Assert.Equal("text", Block(events, 0)["type"]!.GetValue<string>());
        Assert.Equal("Hello wörld 👋", Joined(events, 0));
        var delta = events[^2].Data;
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Null(delta["delta"]!["stop_sequence"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"input_tokens":10,"cache_read_input_tokens":2,"output_tokens":4}"""), delta["usage"]), delta["usage"]!.ToJsonString());
    }

    [Fact]
    public void Feed_TextThenTwoToolCalls_ABlockEachWithItsArguments()
    {
        var events = Parse(RunWhole(ToolStream));

        AssertWellFormed(events);
        Assert.Equal("Checking both.", Joined(events, 0));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"tool_use","id":"call_A","name":"get_weather","input":{}}"""), Block(events, 1)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"tool_use","id":"call_B","name":"get_time","input":{}}"""), Block(events, 2)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Zürich","unit":"celsius"}"""), JsonNode.Parse(Joined(events, 1))));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"zone":"Europe/Zurich"}"""), JsonNode.Parse(Joined(events, 2))));
        Assert.True(events.Count(e => e.Data["delta"]?["type"]?.GetValue<string>() == "input_json_delta") > 10);
        Assert.Equal("tool_use", events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(30, events[^2].Data["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Feed_Reasoning_ThinkingBlockThenText()
    {
        var events = Parse(RunWhole(Sse(
            Head + """{"index":0,"delta":{"reasoning_content":"Six "},"finish_reason":null}]}""",
            Head + """{"index":0,"delta":{"reasoning_content":"sevens."},"finish_reason":null}]}""",
            Head + """{"index":0,"delta":{"content":"42"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12}}""")));

        AssertWellFormed(events);
        Assert.Equal("thinking", Block(events, 0)["type"]!.GetValue<string>());
        Assert.Equal("Six sevens.", Joined(events, 0));
        Assert.Equal("thinking_delta", events[2].Data["delta"]!["type"]!.GetValue<string>());
        Assert.Equal("42", Joined(events, 1));
    }

    [Fact]
    public void Feed_FirstChunk_MessageStartWrittenAtOnce()
    {
        var translator = new MessagesStreamTranslator("m");
        var output = new ArrayBufferWriter<byte>();

        translator.Feed(Encoding.UTF8.GetBytes(Sse(Head + """{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}""")), output);

        var events = Parse(Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(["message_start", "content_block_start", "content_block_delta"], events.Select(e => e.Type));
        Assert.False(translator.Finished);
    }

    [Fact]
    public void Feed_UsageChunkAfterFinish_MessageDeltaHeldForIt()
    {
        var translator = new MessagesStreamTranslator("m");
        var output = new ArrayBufferWriter<byte>();
        translator.Feed(Encoding.UTF8.GetBytes(Sse(
            Head + """{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""",
            Head + """{"index":0,"delta":{},"finish_reason":"length"}]}""")), output);

        var before = Parse(Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal("content_block_stop", before[^1].Type);
        Assert.False(translator.Finished);

        translator.Feed(Encoding.UTF8.GetBytes(Sse(Head + """],"usage":{"prompt_tokens":7,"completion_tokens":100,"total_tokens":107}}""")), output);

        var events = Parse(Encoding.UTF8.GetString(output.WrittenSpan));
        AssertWellFormed(events);
        Assert.True(translator.Finished);
        Assert.Equal("max_tokens", events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(100, events[^2].Data["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal(7, events[^2].Data["usage"]!["input_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Feed_OneByteAndRandomSplits_SameOutput()
    {
        // CRLF line ends and a comment, as some OpenAI-compatible servers send them.
        var stream = ": keep-alive\r\n\r\n" + ToolStream.Replace("\n", "\r\n", StringComparison.Ordinal);
        var whole = RunWhole(stream);
        AssertWellFormed(Parse(whole));

        Assert.Equal(whole, Run(stream, Enumerable.Repeat(1, int.MaxValue)));
        var random = new Random(20);
        for (var run = 0; run < 50; run++)
        {
            Assert.Equal(whole, Run(stream, Enumerable.Range(0, int.MaxValue).Select(_ => random.Next(1, 40))));
        }

        Assert.Equal(Parse(RunWhole(ToolStream)).Select(e => e.Data.ToJsonString()), Parse(whole).Select(e => e.Data.ToJsonString()));
    }

    [Fact]
    public void Feed_ErrorMidStream_ErrorEventEndsTheTranslation()
    {
        var translator = new MessagesStreamTranslator("m");
        var output = new ArrayBufferWriter<byte>();
        translator.Feed(Encoding.UTF8.GetBytes(Sse(
            Head + """{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}""",
            """{"error":{"message":"Upstream overloaded","type":"api_error","param":null,"code":"503"}}""",
            Head + """{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}""")), output);
        translator.Complete(output);

        var events = Parse(Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "error"], events.Select(e => e.Type));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"error","error":{"type":"overloaded_error","message":"Upstream overloaded"}}"""), events[^1].Data));
        Assert.True(translator.Finished);
    }

    [Fact]
    public void Feed_ErrorFirst_OnlyTheErrorEvent()
    {
        var events = Parse(RunWhole(Sse("""{"error":{"message":"Rate limited","type":"rate_limit_error","code":"rate_limit_exceeded"}}""")));

        Assert.Equal(["error"], events.Select(e => e.Type));
        Assert.Equal("rate_limit_error", events[0].Data["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Complete_StreamEndedWithoutDone_SequenceClosed()
    {
        var events = Parse(RunWhole(Sse(
            Head + """{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""",
            Head + """{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]}""")));

        AssertWellFormed(events);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Type));
        Assert.Equal("tool_use", events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Complete_LastEventWithoutBlankLine_ReadAndClosed()
    {
        var stream = Sse(Head + """{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}""") +
            "data: " + Head + """],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""";

        var events = Parse(RunWhole(stream));

        AssertWellFormed(events);
        Assert.Equal(2, events[^2].Data["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Complete_NothingReceived_EmptyMessageClosed()
    {
        var events = Parse(RunWhole(""));

        AssertWellFormed(events);
        Assert.Equal(["message_start", "message_delta", "message_stop"], events.Select(e => e.Type));
    }

    [Fact]
    public void Feed_AfterDone_NothingMore()
    {
        var translator = new MessagesStreamTranslator("m");
        var output = new ArrayBufferWriter<byte>();
        translator.Feed(Encoding.UTF8.GetBytes(TextStream), output);
        var length = output.WrittenCount;

        translator.Feed(Encoding.UTF8.GetBytes(Sse(Head + """{"index":0,"delta":{"content":"late"},"finish_reason":null}]}""")), output);
        translator.Complete(output);

        Assert.True(translator.Finished);
        Assert.Equal(length, output.WrittenCount);
    }
}
