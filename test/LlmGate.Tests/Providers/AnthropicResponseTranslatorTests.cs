using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class AnthropicResponseTranslatorTests
{
    private static JsonNode Translate(string anthropic) =>
        JsonNode.Parse(AnthropicResponseTranslator.Translate(Encoding.UTF8.GetBytes(anthropic), "claude-fallback", 1_700_000_000))!;

    [Fact]
    public void Translate_TextMessage_ChatCompletionWithUsage()
    {
        var result = Translate("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"text","text":"Hello"},{"type":"text","text":" there"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":4,"cache_creation_input_tokens":1}}
            """);

        Assert.Equal("chat.completion", result["object"]!.GetValue<string>());
        Assert.Equal(("msg_1", "claude-sonnet-4-20250514", 1_700_000_000L), (result["id"]!.GetValue<string>(), result["model"]!.GetValue<string>(), result["created"]!.GetValue<long>()));
        var choice = result["choices"]![0]!;
        Assert.Equal("Hello there", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("""{"prompt_tokens":15,"completion_tokens":5,"total_tokens":20,"prompt_tokens_details":{"cached_tokens":4}}""", result["usage"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolUse_ToolCallsWithJsonArguments()
    {
        var result = Translate("""
            {"id":"msg_2","model":"claude","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":2}}
            """);

        var message = result["choices"]![0]!["message"]!;
        Assert.Null(message["content"]);
        var call = message["tool_calls"]!.AsArray().Single()!;
        Assert.Equal(("toolu_1", "function", "get_weather"), (call["id"]!.GetValue<string>(), call["type"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Paris"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    public void FinishReason_AnthropicStopReason_OpenAiName(string stopReason, string expected) =>
        Assert.Equal(expected, AnthropicStopReasons.ToFinishReason(stopReason));

    [Theory]
    [InlineData(529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", 503, "api_error", "Overloaded")]
    [InlineData(429, """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}""", null, "rate_limit_error", "Slow down")]
    [InlineData(404, """{"type":"error","error":{"type":"not_found_error","message":"model: x"}}""", null, "invalid_request_error", "model: x")]
    [InlineData(401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""", null, "authentication_error", "invalid x-api-key")]
    [InlineData(502, "<html>Bad gateway</html>", null, "api_error", "The upstream answered HTTP 502: <html>Bad gateway</html>")]
    public void ParseError_AnthropicError_OpenAiTypeAndStatus(int status, string body, int? mappedStatus, string type, string message)
    {
        var error = new AnthropicAdapter(TimeProvider.System).ParseError(Encoding.UTF8.GetBytes(body), status);

        Assert.Equal((mappedStatus, type, message), (error.Status, error.Type, error.Message));
    }
}
