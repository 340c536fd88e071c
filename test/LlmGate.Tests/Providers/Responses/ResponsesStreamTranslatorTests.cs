using System.Buffers;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers.Responses;
using OpenAI.Responses;

namespace LlmGate.Tests.Providers.Responses;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental
public sealed class ResponsesStreamTranslatorTests
{
    private const string TextStream = """
        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[{"index":0,"delta":{"content":" wörld"},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}

        data: [DONE]


        """;

    private const string ToolStream = """
        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Weather "},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"reasoning_content":"and time."},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"content":"Checking."},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: {"id":"chatcmpl-s2","created":1700000001,"model":"gemini-x","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":10,"total_tokens":30}}

        data: [DONE]


        """;

    [Fact]
    public void Feed_TextStream_EventSequenceAndFinalResponse()
    {
        var events = Events(Run(TextStream));

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => (int)e.Data["sequence_number"]!));
        Assert.All(events, e => Assert.Equal(e.Type, (string?)e.Data["type"]));

        var created = events[0].Data["response"]!;
        Assert.Equal("resp_chatcmpl-s1", (string?)created["id"]);
        Assert.Equal("in_progress", (string?)created["status"]);
        Assert.Empty(created["output"]!.AsArray());
        Assert.Equal("alias-model", (string?)created["model"]);

        var added = events[2].Data;
        Assert.Equal(0, (int)added["output_index"]!);
        Assert.Equal("message", (string?)added["item"]!["type"]);
        Assert.Equal("in_progress", (string?)added["item"]!["status"]);
        Assert.Equal("msg_s1", (string?)added["item"]!["id"]);
        Assert.Equal(["Hello", " wörld"], events.Where(e => e.Type == "response.output_text.delta").Select(e => (string?)e.Data["delta"]));
        Assert.All(events.Skip(3).Take(6), e => Assert.Equal("msg_s1", (string?)e.Data["item_id"] ?? (string?)e.Data["item"]!["id"]));
        Assert.Equal("Hello wörld", (string?)events[6].Data["text"]);

        var final = events[^1].Data["response"]!;
        Assert.Equal("completed", (string?)final["status"]);
        Assert.Equal("Hello wörld", (string?)final["output"]![0]!["content"]![0]!["text"]);
        Assert.Equal("completed", (string?)final["output"]![0]!["status"]);
        Assert.Equal(9, (int)final["usage"]!["input_tokens"]!);
        Assert.Equal(3, (int)final["usage"]!["output_tokens"]!);
        Assert.Equal(12, (int)final["usage"]!["total_tokens"]!);
    }

    [Fact]
    public void Feed_ReasoningTextAndToolCalls_ItemsInOrderWithArgumentFragments()
    {
        var events = Events(Run(ToolStream));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Type));
        var firstCall = events[15].Data;
        Assert.Equal(2, (int)firstCall["output_index"]!);
        Assert.Equal("function_call", (string?)firstCall["item"]!["type"]);
        Assert.Equal("call_a", (string?)firstCall["item"]!["call_id"]);
        Assert.Equal("get_weather", (string?)firstCall["item"]!["name"]);
        Assert.Equal("", (string?)firstCall["item"]!["arguments"]);
        Assert.Equal(["{\"city\":", "\"Paris\"}"], events.Skip(16).Take(2).Select(e => (string?)e.Data["delta"]));
        Assert.Equal("{\"city\":\"Paris\"}", (string?)events[20].Data["arguments"]);
        Assert.Equal("fc_call_a", (string?)events[20].Data["item_id"]);
        Assert.Equal(3, (int)events[23].Data["output_index"]!);
        Assert.Equal("{}", (string?)events[23].Data["item"]!["arguments"]);
        Assert.Equal("completed", (string?)events[23].Data["item"]!["status"]);

        var output = events[^1].Data["response"]!["output"]!.AsArray();
        Assert.Equal(["reasoning", "message", "function_call", "function_call"], output.Select(item => (string?)item!["type"]));
        Assert.Equal("Weather and time.", (string?)output[0]!["summary"]![0]!["text"]);
        Assert.Equal("{\"city\":\"Paris\"}", (string?)output[2]!["arguments"]);
        Assert.Equal(30, (int)events[^1].Data["response"]!["usage"]!["total_tokens"]!);
    }

    [Fact]
    public void Feed_FirstChunk_CreatedWrittenAtOnce()
    {
        var translator = new ResponsesStreamTranslator("alias-model");
        var output = new ArrayBufferWriter<byte>();
        var firstEvent = TextStream[..(TextStream.IndexOf("\n\n", StringComparison.Ordinal) + 2)];

        translator.Feed(Encoding.UTF8.GetBytes(firstEvent), output);

        Assert.Equal(["response.created", "response.in_progress"], Events(Encoding.UTF8.GetString(output.WrittenSpan)).Select(e => e.Type));
        Assert.False(translator.Finished);
    }

    [Fact]
    public void Feed_UsageAfterFinish_CompletedHeldUntilUsage()
    {
        var translator = new ResponsesStreamTranslator("alias-model");
        var output = new ArrayBufferWriter<byte>();
        var usageAt = TextStream.IndexOf("data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[]", StringComparison.Ordinal);

        translator.Feed(Encoding.UTF8.GetBytes(TextStream[..usageAt]), output);
        var beforeUsage = Events(Encoding.UTF8.GetString(output.WrittenSpan));
        translator.Feed(Encoding.UTF8.GetBytes(TextStream[usageAt..]), output);
        var all = Events(Encoding.UTF8.GetString(output.WrittenSpan));

        Assert.Equal("response.output_item.done", beforeUsage[^1].Type);
        Assert.DoesNotContain(beforeUsage, e => e.Type == "response.completed");
        Assert.Equal("response.completed", all[^1].Type);
        Assert.Equal(12, (int)all[^1].Data["response"]!["usage"]!["total_tokens"]!);
        Assert.True(translator.Finished);
    }

    [Fact]
    public void Feed_OneByteAtATimeAndRandomSplits_SameOutput()
    {
        foreach (var stream in (string[])[TextStream, ToolStream])
        {
            var whole = Run(stream);
            var bytes = Encoding.UTF8.GetBytes(stream);

            Assert.Equal(whole, Run(bytes, Enumerable.Repeat(1, bytes.Length)));
            var random = new Random(20);
            for (var round = 0; round < 20; round++)
            {
                Assert.Equal(whole, Run(bytes, RandomSplits(random, bytes.Length)));
            }

            Assert.Equal(whole, Run(stream.Replace("\n", "\r\n", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Feed_ErrorMidStream_ErrorEventThenFailedAndNothingMore()
    {
        var cut = TextStream.IndexOf("data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" w", StringComparison.Ordinal);
        var stream = TextStream[..cut]
            + "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}\n\n"
            + TextStream[cut..];
        var translator = new ResponsesStreamTranslator("alias-model");
        var output = new ArrayBufferWriter<byte>();

        translator.Feed(Encoding.UTF8.GetBytes(stream), output);
        translator.Complete(output);
        var events = Events(Encoding.UTF8.GetString(output.WrittenSpan));

        Assert.True(translator.Finished);
        Assert.Equal(["response.output_text.delta", "error", "response.failed"], events.Skip(4).Select(e => e.Type));
        var error = events[^2].Data;
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
        Assert.Equal("Overloaded", (string?)error["message"]);
        var failed = events[^1].Data["response"]!;
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal("Overloaded", (string?)failed["error"]!["message"]);
        Assert.Equal("incomplete", (string?)failed["output"]![0]!["status"]);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => (int)e.Data["sequence_number"]!));
    }

    [Fact]
    public void Complete_NoDone_CompletedWithUsage()
    {
        var withoutDone = TextStream[..TextStream.IndexOf("data: [DONE]", StringComparison.Ordinal)];
        var translator = new ResponsesStreamTranslator("alias-model");
        var output = new ArrayBufferWriter<byte>();

        translator.Feed(Encoding.UTF8.GetBytes(withoutDone), output);
        translator.Complete(output);

        Assert.Equal(Run(TextStream), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(translator.Finished);
    }

    [Fact]
    public void Complete_FinishWithoutUsageOrDone_CompletedWithoutUsage()
    {
        var lastChunk = TextStream.IndexOf("data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[]", StringComparison.Ordinal);

        var events = Events(Run(TextStream[..lastChunk].TrimEnd('\n')));

        Assert.Equal("response.completed", events[^1].Type);
        Assert.Null(events[^1].Data["response"]!["usage"]);
    }

    [Fact]
    public void Complete_CutBeforeFinish_Failed()
    {
        var cut = TextStream.IndexOf("data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[{\"index\":0,\"delta\":{},", StringComparison.Ordinal);

        var events = Events(Run(TextStream[..cut]));

        Assert.Equal("response.failed", events[^1].Type);
        Assert.Equal("server_error", (string?)events[^1].Data["response"]!["error"]!["code"]);
        Assert.DoesNotContain(events, e => e.Type is "response.completed" or "error");
    }

    [Fact]
    public void Complete_NothingArrived_CreatedThenFailed()
    {
        Assert.Equal(["response.created", "response.in_progress", "response.failed"], Events(Run("")).Select(e => e.Type));
    }

    [Fact]
    public void Feed_FinishLength_Incomplete()
    {
        var events = Events(Run(TextStream.Replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"length\"", StringComparison.Ordinal)));

        Assert.Equal("response.incomplete", events[^1].Type);
        var response = events[^1].Data["response"]!;
        Assert.Equal("incomplete", (string?)response["status"]);
        Assert.Equal("max_output_tokens", (string?)response["incomplete_details"]!["reason"]);
    }

    [Fact]
    public void Feed_ReadByOpenAiSdk_EveryEventKnown()
    {
        foreach (var stream in (string[])[TextStream, ToolStream])
        {
            var updates = Events(Run(stream))
                .Select(e => ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromString(e.Data.ToJsonString()))!)
                .ToList();

            Assert.All(updates, update => Assert.DoesNotContain("Unknown", update.GetType().Name, StringComparison.Ordinal));
            var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
            Assert.Equal(ResponseStatus.Completed, completed.Response.Status);
            Assert.Equal(stream == TextStream ? "Hello wörld" : "Checking.", completed.Response.GetOutputText());
            Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(update => update.SequenceNumber));
        }
    }

    private static string Run(string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        return Run(bytes, [bytes.Length]);
    }

    private static string Run(byte[] bytes, IEnumerable<int> pieces)
    {
        var translator = new ResponsesStreamTranslator("alias-model");
        var output = new ArrayBufferWriter<byte>();
        var offset = 0;
        foreach (var piece in pieces)
        {
            translator.Feed(bytes.AsSpan(offset, piece), output);
            offset += piece;
        }

        translator.Complete(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static IEnumerable<int> RandomSplits(Random random, int length)
    {
        var offset = 0;
        while (offset < length)
        {
            var piece = Math.Min(length - offset, random.Next(1, 40));
            offset += piece;
            yield return piece;
        }
    }

    private static List<(string Type, JsonNode Data)> Events(string sse)
    {
        var events = new List<(string, JsonNode)>();
        foreach (var block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            events.Add((lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!));
        }

        return events;
    }
}
