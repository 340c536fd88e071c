using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers.Messages;

namespace LlmGate.Tests.Providers.Messages;

public sealed class MessagesErrorsTests
{
    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "overloaded_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(408, "api_error")]
    [InlineData(504, "api_error")]
    [InlineData(422, "invalid_request_error")]
    public void TypeFor_Status_AnthropicType(int status, string type) => Assert.Equal(type, MessagesErrors.TypeFor(status));

    [Fact]
    public void FromOpenAiError_GatewayError_AnthropicShape()
    {
        var body = """{"error":{"message":"Budget exceeded for key","type":"rate_limit_error","param":null,"code":"429"}}""";

        var error = JsonNode.Parse(MessagesErrors.FromOpenAiError(Encoding.UTF8.GetBytes(body), 429));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"error","error":{"type":"rate_limit_error","message":"Budget exceeded for key"}}"""), error), error!.ToJsonString());
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("")]
    [InlineData("""{"detail":"nope"}""")]
    public void FromOpenAiError_NotOpenAiShaped_GenericMessage(string body)
    {
        var error = JsonNode.Parse(MessagesErrors.FromOpenAiError(Encoding.UTF8.GetBytes(body), 502))!;

        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("api_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Contains("502", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromOpenAiError_BareStringError_ItsMessage() =>
        Assert.Equal("Model not found", JsonNode.Parse(MessagesErrors.FromOpenAiError("""{"error":"Model not found"}"""u8, 404))!["error"]!["message"]!.GetValue<string>());
}
