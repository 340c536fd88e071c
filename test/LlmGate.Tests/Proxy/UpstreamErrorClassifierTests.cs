using LlmGate.Alerting;
using LlmGate.Proxy;

namespace LlmGate.Tests.Proxy;

public sealed class UpstreamErrorClassifierTests
{
    [Theory]
    [InlineData(400, """{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}""", "ContextWindow")]
    [InlineData(400, """{"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum","type":"invalid_request_error"}}""", "ContextWindow")]
    [InlineData(400, """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","code":"content_filter"}}""", "ContentPolicy")]
    [InlineData(400, """{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error"}}""", "None")]
    [InlineData(422, """{"detail":"unprocessable"}""", "None")]
    [InlineData(401, """{"error":{"message":"Incorrect API key provided"}}""", "General")]
    [InlineData(404, """{"error":{"message":"The model does not exist"}}""", "General")]
    [InlineData(429, """{"error":{"message":"Rate limit reached"}}""", "General")]
    [InlineData(503, "upstream connect error", "General")]
    public void Classify_UpstreamErrors_LeadToTheirFallbacks(int status, string body, string expected)
    {
        var error = UpstreamError.Parse(System.Text.Encoding.UTF8.GetBytes(body), status);

        Assert.Equal(Enum.Parse<FallbackTrigger>(expected), UpstreamErrorClassifier.Classify(status, error));
    }

    [Theory]
    [InlineData(500, "UpstreamError", true, true)]
    [InlineData(429, "UpstreamError", true, true)]
    [InlineData(408, "UpstreamError", true, true)]
    [InlineData(401, "UpstreamError", false, true)]
    [InlineData(404, "UpstreamError", false, true)]
    [InlineData(400, "UpstreamError", false, false)]
    [InlineData(403, "UpstreamError", false, false)]
    [InlineData(408, "Timeout", true, true)]
    [InlineData(502, "ConnectionFailure", true, true)]
    [InlineData(429, "Gateway", false, false)]
    public void AttemptFailure_RetryAndCooldownRules(int status, string kind, bool retryable, bool countsForCooldown)
    {
        var failure = new AttemptFailure(status, "t", "m", null, Enum.Parse<FailureKind>(kind));

        Assert.Equal((retryable, countsForCooldown), (failure.IsRetryable, failure.CountsForCooldown));
        Assert.False((failure with { AfterFirstByte = true }).IsRetryable);
    }
}
