using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers.Google;

namespace LlmGate.Tests.Providers.Google;

public sealed class GeminiResponseTranslatorTests
{
    private static JsonNode Translate(string gemini) => Translate(gemini, out _);

    private static JsonNode Translate(string gemini, out TokenUsage usage) =>
        JsonNode.Parse(GeminiResponseTranslator.Translate(Encoding.UTF8.GetBytes(gemini), "gemini-flash", 1_700_000_000, out usage))!;

    private static bool IsBlocked(string gemini, out string? message) => GeminiResponseTranslator.IsBlocked(Encoding.UTF8.GetBytes(gemini), out message);

    [Fact]
    public void Translate_Text_ChatCompletionWithUsage()
    {
        // Gemini indents its non-streamed answers.
        var result = Translate("""
            {
              "candidates": [
                {"content": {"role": "model", "parts": [{"text": "Hello"}, {"text": " there"}]}, "finishReason": "STOP", "index": 0,
                 "safetyRatings": [{"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"}]}
              ],
              "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 7, "totalTokenCount": 19},
              "modelVersion": "gemini-2.0-flash-001", "responseId": "abc123"
            }
            """, out var usage);

        Assert.Equal(("chatcmpl-abc123", "chat.completion", 1_700_000_000L, "gemini-flash"),
            (result["id"]!.GetValue<string>(), result["object"]!.GetValue<string>(), result["created"]!.GetValue<long>(), result["model"]!.GetValue<string>()));
        Assert.Equal("""[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}]""", result["choices"]!.ToJsonString());
        Assert.Equal("""{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}""", result["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(12, 7), usage);
    }

    [Fact]
    public void Translate_NoResponseId_GeneratedChatCompletionId()
    {
        var result = Translate("""{"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"STOP"}]}""");

        Assert.Matches("^chatcmpl-[0-9a-f]{24}$", result["id"]!.GetValue<string>());
        Assert.Equal("""{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}""", result["usage"]!.ToJsonString());
    }

    [Fact]
    public void Translate_Thoughts_ReasoningContentAndReasoningTokens()
    {
        var result = Translate("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think.","thought":true},{"text":" More.","thought":true},{"text":"42"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":2,"thoughtsTokenCount":30,"cachedContentTokenCount":4,"totalTokenCount":42}}
            """, out var usage);

        var message = result["choices"]![0]!["message"]!;
        Assert.Equal("42", message["content"]!.GetValue<string>());
        Assert.Equal("Let me think. More.", message["reasoning_content"]!.GetValue<string>());
        Assert.Equal(
            """{"prompt_tokens":10,"completion_tokens":32,"total_tokens":42,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":30}}""",
            result["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(10, 32, 4), usage);
    }

    [Fact]
    public void Translate_NoTotalTokenCount_TotalIsTheSum()
    {
        var result = Translate("""{"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"thoughtsTokenCount":2}}""");

        Assert.Equal(6, result["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Translate_FunctionCalls_ToolCallsAndFinishReasonToolCalls()
    {
        var result = Translate("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Checking."},
               {"functionCall":{"name":"get_weather","args":{ "city" : "Paris", "days": [1, 2] }}},
               {"functionCall":{"name":"now"},"thoughtSignature":"c2ln"}]},"finishReason":"STOP","index":0}],"responseId":"r"}
            """);

        var choice = result["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("Checking.", choice["message"]!["content"]!.GetValue<string>());
        var calls = choice["message"]!["tool_calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        Assert.Matches("^call_[0-9a-f]{24}$", calls[0]!["id"]!.GetValue<string>());
        Assert.Equal(("function", "get_weather", """{"city":"Paris","days":[1,2]}"""), Call(calls[0]!));
        Assert.Equal(("function", "now", "{}"), Call(calls[1]!));
        Assert.Matches("^call_[0-9a-f]{24}__thought__c2ln$", calls[1]!["id"]!.GetValue<string>());
        Assert.NotEqual(calls[0]!["id"]!.GetValue<string>()[..29], calls[1]!["id"]!.GetValue<string>()[..29]);
    }

    [Fact]
    public void Translate_FunctionCallOnly_ContentNull()
    {
        var result = Translate("""{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{}}}]},"finishReason":"STOP"}]}""");

        var message = result["choices"]![0]!["message"]!.AsObject();
        Assert.True(message.ContainsKey("content"));
        Assert.Null(message["content"]);
        Assert.Equal("tool_calls", result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("FINISH_REASON_UNSPECIFIED", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("MALFORMED_FUNCTION_CALL", "stop")]
    [InlineData("LANGUAGE", "stop")]
    [InlineData("OTHER", "stop")]
    [InlineData("SOMETHING_NEW", "stop")]
    public void Translate_FinishReason_Mapped(string gemini, string openAi)
    {
        var result = Translate($$"""{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"{{gemini}}"}]}""");

        Assert.Equal(openAi, result["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("x", result["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("SAFETY")]
    [InlineData("RECITATION")]
    [InlineData("BLOCKLIST")]
    [InlineData("PROHIBITED_CONTENT")]
    [InlineData("SPII")]
    [InlineData("IMAGE_SAFETY")]
    public void Translate_SafetyFinish_ContentFilterWithNullContent(string reason)
    {
        var result = Translate($$$"""
            {"candidates":[{"content":{"parts":[{"text":"Partial answer"},{"functionCall":{"name":"f"}}]},"finishReason":"{{{reason}}}","index":0}]}
            """);

        Assert.Equal("""[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]""", result["choices"]!.ToJsonString());
    }

    [Fact]
    public void Translate_PromptBlocked_OneContentFilterChoice()
    {
        var result = Translate("""{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"responseId":"b"}""", out var usage);

        Assert.Equal("""[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]""", result["choices"]!.ToJsonString());
        Assert.Equal(new TokenUsage(8, 0), usage);
    }

    [Fact]
    public void Translate_TwoCandidates_ChoicePerCandidateByIndex()
    {
        var result = Translate("""
            {"candidates":[{"content":{"parts":[{"text":"A"}]},"finishReason":"STOP","index":0},
                           {"content":{"parts":[{"text":"B"}]},"finishReason":"MAX_TOKENS","index":1}],
             "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":4,"totalTokenCount":9}}
            """);

        Assert.Equal(
            """[{"index":0,"message":{"role":"assistant","content":"A"},"finish_reason":"stop"},{"index":1,"message":{"role":"assistant","content":"B"},"finish_reason":"length"}]""",
            result["choices"]!.ToJsonString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("""{"error":{"code":500,"message":"x"}}""")]
    [InlineData("not json")]
    public void Translate_NotAResponse_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => Translate(body));
    }

    [Theory]
    [InlineData("""{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}""", "Gemini blocked the prompt: PROHIBITED_CONTENT")]
    [InlineData("""{"candidates":[{"finishReason":"SAFETY","index":0}]}""", "Gemini blocked the response: SAFETY")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"","thought":false}]},"finishReason":"RECITATION"},{"finishReason":"SAFETY"},{"finishReason":"SAFETY"}]}""", "Gemini blocked the response: RECITATION, SAFETY")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"secret plan","thought":true}]},"finishReason":"SAFETY"}]}""", "Gemini blocked the response: SAFETY")]
    public void IsBlocked_BlockWithNothingUseful_TrueWithMessage(string body, string expected)
    {
        Assert.True(IsBlocked(body, out var message));
        Assert.Equal(expected, message);
        Assert.True(GeminiResponseTranslator.IsBlocked(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"STOP"}]}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"Some text"}]},"finishReason":"SAFETY"}]}""")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f"}}]},"finishReason":"SAFETY"}]}""")]
    [InlineData("""{"candidates":[{"finishReason":"SAFETY"},{"content":{"parts":[{"text":"B"}]},"finishReason":"STOP"}]}""")]
    [InlineData("""{"candidates":[{"finishReason":"MAX_TOKENS"}]}""")]
    [InlineData("""{"candidates":[]}""")]
    [InlineData("""{"usageMetadata":{}}""")]
    [InlineData("not json")]
    public void IsBlocked_AnswerOrNoBlock_False(string body)
    {
        Assert.False(IsBlocked(body, out var message));
        Assert.Null(message);
    }

    private static (string Type, string Name, string Arguments) Call(JsonNode call) =>
        (call["type"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), call["function"]!["arguments"]!.GetValue<string>());
}
