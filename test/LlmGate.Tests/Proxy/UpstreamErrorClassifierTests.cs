using System.Text;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Proxy;

namespace LlmGate.Tests.Proxy;

/// <summary>
/// Real error bodies, as each provider sends them, read by that provider's adapter and then classified for routing:
/// the reason comes from the provider's own fields, so a message that merely mentions a context window is not one.
/// </summary>
public sealed class UpstreamErrorClassifierTests
{
    private static readonly ProviderAdapters Adapters = ProviderAdapters.CreateDefault(TimeProvider.System);

    [Theory]
    // OpenAI: the code decides.
    [InlineData("openai", 400, """{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", "ContextWindowExceeded", "ContextWindow")]
    [InlineData("openai", 400, """{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}""", "ContentPolicy", "ContentPolicy")]
    [InlineData("openai", 404, """{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}""", "UnknownModel", "General")]
    [InlineData("openai", 400, """{"error":{"message":"Invalid value for 'temperature': expected a number ≤ 2 (your request mentioned a context window).","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""", "Unclassified", "None")]
    // vLLM and other OpenAI-compatible servers: no code, their known message.
    [InlineData("openai", 400, """{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400}""", "ContextWindowExceeded", "ContextWindow")]
    // Azure OpenAI: the content filter's code.
    [InlineData("azure", 400, """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400}}""", "ContentPolicy", "ContentPolicy")]
    [InlineData("azure", 404, """{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""", "Unclassified", "General")]
    // Anthropic: types, and its documented prompt-too-long message.
    [InlineData("anthropic", 400, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}""", "ContextWindowExceeded", "ContextWindow")]
    [InlineData("anthropic", 404, """{"type":"error","error":{"type":"not_found_error","message":"model: claude-9"}}""", "UnknownModel", "General")]
    [InlineData("anthropic", 529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "Unclassified", "General")]
    [InlineData("openai", 503, "upstream connect error or disconnect/reset before headers", "Unclassified", "General")]
    [InlineData("openai", 422, """{"detail":"unprocessable"}""", "Unclassified", "None")]
    public void ParseThenClassify_ProviderErrorBodies_ReasonAndFallback(string adapter, int status, string body, string reason, string fallback)
    {
        var error = Adapters.For(adapter).ParseError(Encoding.UTF8.GetBytes(body), status);

        Assert.Equal(Enum.Parse<UpstreamErrorReason>(reason), error.Reason);
        Assert.Equal(Enum.Parse<FallbackTrigger>(fallback), UpstreamErrorClassifier.Classify(error.Status ?? status, error));
    }

    [Fact]
    public void Classify_ContextWindowReasonOnAServerError_NotAContextWindowFallback()
    {
        // Only the client's 400/413/422 can mean "the prompt is too long"; a 500 is the deployment's failure.
        var error = new UpstreamError("boom", null, null) { Reason = UpstreamErrorReason.ContextWindowExceeded };

        Assert.Equal(FallbackTrigger.General, UpstreamErrorClassifier.Classify(500, error));
    }

    [Theory]
    [InlineData(500, "UpstreamError", false, true, true)]
    [InlineData(429, "UpstreamError", false, true, true)]
    [InlineData(401, "UpstreamError", false, false, true)]
    [InlineData(404, "UpstreamError", false, false, true)]
    [InlineData(404, "UpstreamError", true, false, false)]
    [InlineData(400, "UpstreamError", false, false, false)]
    [InlineData(413, "UpstreamError", false, false, false)]
    [InlineData(422, "UpstreamError", false, false, false)]
    [InlineData(408, "Timeout", false, true, true)]
    [InlineData(502, "ConnectionFailure", false, true, true)]
    [InlineData(429, "Gateway", false, false, false)]
    public void AttemptFailure_RetryAndCooldownRules(int status, string kind, bool unknownModel, bool retryable, bool countsForCooldown)
    {
        var failure = new AttemptFailure(status, "t", "m", null, Enum.Parse<FailureKind>(kind)) { UnknownModel = unknownModel };

        Assert.Equal((retryable, countsForCooldown), (failure.IsRetryable, failure.CountsForCooldown));
        Assert.False((failure with { AfterFirstByte = true }).IsRetryable);
    }
}
