using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers.Cohere;

namespace LlmGate.Tests.Providers.Cohere;

public sealed class CohereResponseTranslatorTests
{
    private static (JsonNode Result, TokenUsage Usage) Translate(string cohere)
    {
        var result = CohereResponseTranslator.Translate(Encoding.UTF8.GetBytes(cohere), "command-r-plus", 1_700_000_000, out var usage);
        return (JsonNode.Parse(result)!, usage);
    }

    [Fact]
    public void Translate_Text_ChatCompletionWithUsageFromTokens()
    {
        var (result, usage) = Translate("""
            {"id":"c14c80c3-18eb-4519-9460-6c92edd8cfb4","finish_reason":"COMPLETE",
             "message":{"role":"assistant","content":[{"type":"text","text":"Hello"},{"type":"text","text":" world"}],
                        "citations":[{"start":0,"end":5,"text":"Hello","sources":[{"type":"document","id":"doc:1","document":{"id":"1"}}]}]},
             "usage":{"billed_units":{"input_tokens":5,"output_tokens":2},"tokens":{"input_tokens":71,"output_tokens":2}}}
            """);

        Assert.Equal(
            """{"id":"chatcmpl-c14c80c3-18eb-4519-9460-6c92edd8cfb4","object":"chat.completion","created":1700000000,"model":"command-r-plus","choices":[{"index":0,"message":{"role":"assistant","content":"Hello world"},"finish_reason":"stop"}],"usage":{"prompt_tokens":71,"completion_tokens":2,"total_tokens":73}}""",
            result.ToJsonString());
        Assert.Equal(new TokenUsage(71, 2), usage);
    }

    [Fact]
    public void Translate_ToolCall_ToolCallsAndPlanAsReasoning()
    {
        var (result, _) = Translate("""
            {"id":"r2","finish_reason":"TOOL_CALL",
             "message":{"role":"assistant","tool_plan":"I will look up the weather.",
                        "tool_calls":[{"id":"get_weather_nsz5zm3w56q3","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                                      {"id":"now_1","type":"function","function":{"name":"now","arguments":{}}}]},
             "usage":{"tokens":{"input_tokens":30,"output_tokens":12}}}
            """);

        var message = result["choices"]![0]!["message"]!;
        Assert.Null(message["content"]);
        Assert.Equal("I will look up the weather.", message["reasoning_content"]!.GetValue<string>());
        Assert.Equal(
            """[{"id":"get_weather_nsz5zm3w56q3","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}},{"id":"now_1","type":"function","function":{"name":"now","arguments":"{}"}}]""",
            message["tool_calls"]!.ToJsonString());
        Assert.Equal("tool_calls", result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_ThinkingParts_ReasoningContent()
    {
        var (result, _) = Translate("""
            {"id":"r3","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"thinking","thinking":"Let me think."},{"type":"text","text":"42"}]}}
            """);

        Assert.Equal(("42", "Let me think."), (result["choices"]![0]!["message"]!["content"]!.GetValue<string>(), result["choices"]![0]!["message"]!["reasoning_content"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("COMPLETE", "stop")]
    [InlineData("STOP_SEQUENCE", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("TOOL_CALL", "stop")]
    [InlineData("ERROR", "stop")]
    [InlineData("ERROR_TOXIC", "content_filter")]
    [InlineData("TIMEOUT", "length")]
    [InlineData("SOMETHING_NEW", "stop")]
    public void Translate_FinishReason_OpenAiReason(string cohere, string openAi)
    {
        var (result, _) = Translate($$$"""{"id":"r","finish_reason":"{{{cohere}}}","message":{"role":"assistant","content":[{"type":"text","text":"x"}]}}""");

        Assert.Equal(openAi, result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_OnlyBilledUnitsAndCachedTokens_UsageFromThem()
    {
        var (result, usage) = Translate("""
            {"id":"r","finish_reason":"COMPLETE","message":{"role":"assistant","content":[]},"usage":{"billed_units":{"input_tokens":8,"output_tokens":3},"cached_tokens":4}}
            """);

        Assert.Equal("""{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":4}}""", result["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(8, 3, 4), usage);
        Assert.Null(result["choices"]![0]!["message"]!["content"]);
    }

    [Fact]
    public void Translate_NoId_FreshChatcmplId()
    {
        var (result, usage) = Translate("""{"finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"x"}]}}""");

        Assert.Matches("^chatcmpl-[0-9a-f]{24}$", result["id"]!.GetValue<string>());
        Assert.Equal(new TokenUsage(0, 0), usage);
    }

    [Theory]
    [InlineData("""{"message":"invalid api token"}""")]
    [InlineData("[]")]
    [InlineData("not json")]
    public void Translate_NotAChatResponse_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => CohereResponseTranslator.Translate(Encoding.UTF8.GetBytes(body), "m", 1, out _));
    }
}
