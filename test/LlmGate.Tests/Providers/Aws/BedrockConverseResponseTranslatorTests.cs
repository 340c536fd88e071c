using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockConverseResponseTranslatorTests
{
    private static (JsonNode Result, TokenUsage Usage) Translate(string converse, bool jsonMode = false)
    {
        var result = BedrockConverseResponseTranslator.Translate(Encoding.UTF8.GetBytes(converse), "bedrock-claude", 1_700_000_000, jsonMode, out var usage);
        return (JsonNode.Parse(result)!, usage);
    }

    private static string Answer(string content, string stopReason = "end_turn", string usage = """{"inputTokens":12,"outputTokens":7,"totalTokens":19}""") =>
        $$$"""{"output":{"message":{"role":"assistant","content":{{{content}}}}},"stopReason":"{{{stopReason}}}","usage":{{{usage}}},"metrics":{"latencyMs":412}}""";

    // JsonNode escapes the quotes inside a string; the arguments are compared as the client reads them.
    private static JsonNode WithoutArguments(JsonNode message)
    {
        var copy = message.DeepClone();
        foreach (var call in copy["tool_calls"]!.AsArray())
        {
            call!["function"]!.AsObject().Remove("arguments");
        }

        return copy;
    }

    [Fact]
    public void Translate_ReferenceExample_TextAndToolCallsWithUsage()
    {
        var (result, usage) = Translate("""
            {"output":{"message":{"role":"assistant","content":[
                {"text":"It is 18C."},
                {"toolUse":{"toolUseId":"tooluse_hbTg","name":"get_weather","input":{"city": "Paris"}}}]}},
             "stopReason":"tool_use",
             "usage":{"inputTokens":12,"outputTokens":7,"totalTokens":19,"cacheReadInputTokens":0,"cacheWriteInputTokens":0},
             "metrics":{"latencyMs":412}}
            """);

        Assert.StartsWith("chatcmpl-", result["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("chat.completion", 1_700_000_000L, "bedrock-claude"), (result["object"]!.GetValue<string>(), result["created"]!.GetValue<long>(), result["model"]!.GetValue<string>()));
        var choice = result["choices"]!.AsArray().Single()!;
        Assert.Equal(
            """{"role":"assistant","content":"It is 18C.","tool_calls":[{"id":"tooluse_hbTg","type":"function","function":{"name":"get_weather"}}]}""",
            WithoutArguments(choice["message"]!).ToJsonString());
        Assert.Equal("""{"city":"Paris"}""", choice["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("""{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}""", result["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(12, 7), usage);
    }

    [Fact]
    public void Translate_SeveralTextBlocksAndReasoning_ConcatenatedWithReasoningContent()
    {
        var (result, _) = Translate(Answer("""
            [{"reasoningContent":{"reasoningText":{"text":"Let me think. ","signature":"sig"}}},{"reasoningContent":{"reasoningText":{"text":"Done."}}},
             {"text":"Hello"},{"text":" world"}]
            """));

        var message = result["choices"]![0]!["message"]!;
        Assert.Equal(("Hello world", "Let me think. Done."), (message["content"]!.GetValue<string>(), message["reasoning_content"]!.GetValue<string>()));
        Assert.Null(message["tool_calls"]);
        Assert.Equal("stop", result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_OnlyToolCalls_NullContentAndToolCallsInOrder()
    {
        var (result, _) = Translate(Answer("""
            [{"toolUse":{"toolUseId":"a","name":"f","input":{}}},{"toolUse":{"toolUseId":"b","name":"g","input":{"x":[1,2]}}}]
            """, "tool_use"));

        var message = result["choices"]![0]!["message"]!;
        Assert.Null(message["content"]);
        Assert.Equal(["a", "b"], message["tool_calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        Assert.Equal(["{}", """{"x":[1,2]}"""], message["tool_calls"]!.AsArray().Select(c => c!["function"]!["arguments"]!.GetValue<string>()));
    }

    [Fact]
    public void Translate_JsonMode_JsonToolInputIsTheContentAndFinishIsStop()
    {
        var (result, _) = Translate(Answer("""[{"toolUse":{"toolUseId":"t","name":"json_tool_call","input":{"name": "Tom", "age": 3}}}]""", "tool_use"), jsonMode: true);

        var choice = result["choices"]!.AsArray().Single()!;
        Assert.Equal("""{"name":"Tom","age":3}""", choice["message"]!["content"]!.GetValue<string>());
        Assert.Null(choice["message"]!["tool_calls"]);
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_JsonToolCallOutsideJsonMode_StaysAToolCall()
    {
        var (result, _) = Translate(Answer("""[{"toolUse":{"toolUseId":"t","name":"json_tool_call","input":{}}}]""", "tool_use"));

        Assert.Equal("tool_calls", result["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("json_tool_call", result["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "stop")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("malformed_model_output", "stop")]
    [InlineData("malformed_tool_use", "stop")]
    [InlineData("added_later", "stop")]
    public void Translate_StopReason_FinishReason(string stopReason, string finishReason)
    {
        var (result, _) = Translate(Answer("""[{"text":"x"}]""", stopReason));

        Assert.Equal(finishReason, result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_CacheTokens_InPromptTokensAndCachedTokens()
    {
        var (result, usage) = Translate(Answer("""[{"text":"x"}]""", usage: """{"inputTokens":21,"outputTokens":178,"totalTokens":1527,"cacheReadInputTokens":1300,"cacheWriteInputTokens":28}"""));

        Assert.Equal(
            """{"prompt_tokens":1349,"completion_tokens":178,"total_tokens":1527,"prompt_tokens_details":{"cached_tokens":1300}}""",
            result["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(1349, 178, 1300), usage);
    }

    [Fact]
    public void Translate_NoMessageNoUsage_EmptyAnswerZeroUsage()
    {
        var (result, usage) = Translate("""{"output":{},"stopReason":"end_turn"}""");

        Assert.Equal("""{"role":"assistant","content":""}""", result["choices"]![0]!["message"]!.ToJsonString());
        Assert.Equal(new TokenUsage(0, 0), usage);
    }

    [Theory]
    [InlineData("""{"message":"Too many requests"}""")]
    [InlineData("[]")]
    public void Translate_NotAConverseAnswer_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => BedrockConverseResponseTranslator.Translate(Encoding.UTF8.GetBytes(body), "m", 1, false, out _));
    }
}
