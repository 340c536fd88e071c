using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers.Messages;

namespace LlmGate.Tests.Providers.Messages;

public sealed class MessagesAnswerTranslatorTests
{
    private static JsonObject Translate(string chatCompletion) =>
        JsonNode.Parse(MessagesAnswerTranslator.FromChatCompletion(Encoding.UTF8.GetBytes(chatCompletion)))!.AsObject();

    private static string Answer(string message, string finishReason, string usage = """{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}""") => $$"""
        {"id":"chatcmpl-123","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
         "choices":[{"index":0,"message":{{message}},"finish_reason":"{{finishReason}}"}],"usage":{{usage}}}
        """;

    [Fact]
    public void FromChatCompletion_Text_AnthropicMessage()
    {
        var message = Translate(Answer("""{"role":"assistant","content":"Hello there"}""", "stop"));

        var expected = JsonNode.Parse("""
            {"id":"msg_chatcmpl-123","type":"message","role":"assistant","model":"gpt-4o-2024-08-06",
             "content":[{"type":"text","text":"Hello there"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":10,"output_tokens":5}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, message), message.ToJsonString());
    }

    [Fact]
    public void FromChatCompletion_TwoToolCalls_ToolUseBlocksWithParsedInput()
    {
        var message = Translate(Answer("""
            {"role":"assistant","content":"Let me check.","tool_calls":[
              {"id":"call_A1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
              {"id":"call_B2","type":"function","function":{"name":"get_time","arguments":"{\"zone\":\"CET\",\"fmt\":24}"}}]}
            """, "tool_calls"));

        var content = message["content"]!.AsArray();
        Assert.Equal(["text", "tool_use", "tool_use"], content.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("Let me check.", content[0]!["text"]!.GetValue<string>());
        Assert.Equal(("call_A1", "get_weather"), (content[1]!["id"]!.GetValue<string>(), content[1]!["name"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris"}"""), content[1]!["input"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"zone":"CET","fmt":24}"""), content[2]!["input"]));
        Assert.Equal("tool_use", message["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void FromChatCompletion_OnlyToolCallsWithNullContent_NoTextBlock()
    {
        var message = Translate(Answer("""{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}""", "tool_calls"));

        Assert.Equal(["tool_use"], message["content"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void FromChatCompletion_InvalidArgumentsAndOddId_EmptyInputAndSafeId()
    {
        var message = Translate(Answer("""{"role":"assistant","content":"","tool_calls":[{"id":"functions.Bash:0","type":"function","function":{"name":"Bash","arguments":"{\"command\": \"ls"}}]}""", "length"));

        var block = message["content"]![0]!;
        Assert.True(JsonNode.DeepEquals(new JsonObject(), block["input"]));
        Assert.Equal("functions_Bash_0", block["id"]!.GetValue<string>());
        Assert.Equal("max_tokens", message["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void FromChatCompletion_Reasoning_ThinkingBlockFirst()
    {
        var message = Translate(Answer("""{"role":"assistant","content":"42","reasoning_content":"Six times seven."}""", "stop"));

        var content = message["content"]!.AsArray();
        Assert.Equal(["thinking", "text"], content.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("Six times seven.", content[0]!["thinking"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("function_call", "tool_use")]
    [InlineData("content_filter", "refusal")]
    public void FromChatCompletion_FinishReason_StopReason(string finishReason, string stopReason) =>
        Assert.Equal(stopReason, Translate(Answer("""{"role":"assistant","content":"x"}""", finishReason))["stop_reason"]!.GetValue<string>());

    [Fact]
    public void FromChatCompletion_ToolCallsFinishedWithStop_ToolUse() =>
        Assert.Equal("tool_use", Translate(Answer("""{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}""", "stop"))["stop_reason"]!.GetValue<string>());

    [Fact]
    public void FromChatCompletion_CachedTokens_CacheReadAndUncachedInput()
    {
        var message = Translate(Answer("""{"role":"assistant","content":"x"}""", "stop",
            """{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920}}"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"input_tokens":86,"cache_read_input_tokens":1920,"output_tokens":300}"""), message["usage"]), message["usage"]!.ToJsonString());
    }

    [Fact]
    public void FromChatCompletion_NoIdNoUsage_FreshIdAndZeroUsage()
    {
        var message = Translate("""{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}]}""");

        Assert.StartsWith("msg_", message["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(message["id"]!.GetValue<string>().Length > 10);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"input_tokens":0,"output_tokens":0}"""), message["usage"]));
    }
}
