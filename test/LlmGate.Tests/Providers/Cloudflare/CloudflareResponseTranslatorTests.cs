using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.Providers.Cloudflare;

namespace LlmGate.Tests.Providers.Cloudflare;

public sealed class CloudflareResponseTranslatorTests
{
    private static (JsonNode Result, TokenUsage Usage) Translate(string cloudflare)
    {
        var result = CloudflareResponseTranslator.Translate(Encoding.UTF8.GetBytes(cloudflare), "@cf/meta/llama-3.1-8b-instruct", 1_700_000_000, out var usage);
        return (JsonNode.Parse(result)!, usage);
    }

    [Fact]
    public void Translate_Text_ChatCompletionWithUsage()
    {
        var (result, usage) = Translate("""
            {"result":{"response":"Hello there","usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}},"success":true,"errors":[],"messages":[]}
            """);

        Assert.Matches("^chatcmpl-[0-9a-f]{24}$", result["id"]!.GetValue<string>());
        result.AsObject().Remove("id");
        Assert.Equal(
            """{"object":"chat.completion","created":1700000000,"model":"@cf/meta/llama-3.1-8b-instruct","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""",
            result.ToJsonString());
        Assert.Equal(new TokenUsage(12, 2), usage);
    }

    [Fact]
    public void Translate_OlderToolCallShape_IdMadeArgumentsAsText()
    {
        var (result, _) = Translate("""
            {"result":{"response":null,"tool_calls":[{"arguments":{"city":"Paris"},"name":"get_weather"}],"usage":{"prompt_tokens":30,"completion_tokens":5,"total_tokens":35}},"success":true}
            """);

        var message = result["choices"]![0]!["message"]!;
        Assert.Null(message["content"]);
        var call = message["tool_calls"]!.AsArray().Single()!;
        Assert.Matches("^call_[0-9a-f]{24}$", call["id"]!.GetValue<string>());
        Assert.Equal(("function", "get_weather", """{"city":"Paris"}"""),
            (call["type"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>(), call["function"]!["arguments"]!.GetValue<string>()));
        Assert.Equal("tool_calls", result["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_OpenAiToolCallShape_Kept()
    {
        var (result, _) = Translate("""
            {"result":{"response":"","tool_calls":[{"id":"chatcmpl-tool-1","type":"function","function":{"name":"now","arguments":"{}"}}]},"success":true}
            """);

        Assert.Equal("""[{"id":"chatcmpl-tool-1","type":"function","function":{"name":"now","arguments":"{}"}}]""", result["choices"]![0]!["message"]!["tool_calls"]!.ToJsonString());
    }

    [Fact]
    public void Translate_JsonModeObjectResponse_ContentIsItsText()
    {
        var (result, _) = Translate("""{"result":{"response":{"answer":"yes","n":1}},"success":true}""");

        Assert.Equal("""{"answer":"yes","n":1}""", result["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_NoUsage_Zero()
    {
        var (result, usage) = Translate("""{"result":{"response":"x"},"success":true}""");

        Assert.Equal("""{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}""", result["usage"]!.ToJsonString());
        Assert.Equal(new TokenUsage(0, 0), usage);
    }

    [Theory]
    [InlineData("""{"result":null,"success":false,"errors":[{"code":5007,"message":"No such model"}]}""")]
    [InlineData("""{"response":"x"}""")]
    [InlineData("data: x")]
    public void Translate_NotAResult_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => CloudflareResponseTranslator.Translate(Encoding.UTF8.GetBytes(body), "m", 1, out _));
    }
}
