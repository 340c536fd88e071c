using System.Text;
using LlmGate.Providers;
using LlmGate.Providers.Google;

namespace LlmGate.Tests.Providers.Google;

public sealed class GoogleErrorsTests
{
    private static UpstreamError Parse(string body, int status) => GoogleErrors.Parse(Encoding.UTF8.GetBytes(body), status);

    private static string Envelope(int code, string status, string message, string details = "[]") =>
        $$$"""{"error":{"code":{{{code}}},"message":"{{{message}}}","status":"{{{status}}}","details":{{{details}}}}}""";

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", 400, "invalid_request_error")]
    [InlineData(400, "FAILED_PRECONDITION", 400, "invalid_request_error")]
    [InlineData(400, "OUT_OF_RANGE", 400, "invalid_request_error")]
    [InlineData(401, "UNAUTHENTICATED", 401, "authentication_error")]
    [InlineData(403, "PERMISSION_DENIED", 403, "permission_error")]
    [InlineData(404, "NOT_FOUND", 404, "invalid_request_error")]
    [InlineData(429, "RESOURCE_EXHAUSTED", 429, "rate_limit_error")]
    [InlineData(503, "UNAVAILABLE", 503, "api_error")]
    [InlineData(500, "INTERNAL", 500, "api_error")]
    [InlineData(500, "UNKNOWN", 500, "api_error")]
    [InlineData(504, "DEADLINE_EXCEEDED", 504, "api_error")]
    [InlineData(409, "ABORTED", 409, "api_error")]
    public void Parse_Status_OpenAiStatusAndType(int code, string status, int expectedStatus, string type)
    {
        var error = Parse(Envelope(code, status, "Something went wrong."), code);

        Assert.Equal(("Something went wrong.", type, (int?)null, (string?)null), (error.Message, error.Type, error.Status, error.Param));
        Assert.Equal(expectedStatus, error.Status ?? code);
        Assert.Equal(status, error.Code);
        Assert.Equal(UpstreamErrorReason.Unclassified, error.Reason);
        Assert.Null(error.RetryAfter);
    }

    [Fact]
    public void Parse_StatusDiffersFromHttpStatus_StatusSet()
    {
        var error = Parse(Envelope(500, "UNAVAILABLE", "Service unavailable."), 500);

        Assert.Equal((503, "api_error"), (error.Status, error.Type));
    }

    [Fact]
    public void Parse_ApiKeyInvalidDetail_Authentication401()
    {
        var error = Parse(Envelope(400, "INVALID_ARGUMENT", "Invalid key.",
            """[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]"""), 400);

        Assert.Equal((401, "authentication_error", "Invalid key."), (error.Status, error.Type, error.Message));
    }

    [Fact]
    public void Parse_ApiKeyNotValidMessage_Authentication401()
    {
        var error = Parse(Envelope(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."), 400);

        Assert.Equal((401, "authentication_error"), (error.Status, error.Type));
        Assert.DoesNotContain("googleapis", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("27s", 27_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0.250s", 250)]
    public void Parse_RetryInfo_RetryAfter(string delay, int milliseconds)
    {
        var error = Parse(Envelope(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", $$"""
            [{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
             {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]},
             {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"{{delay}}"}]
            """), 429);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), error.RetryAfter);
        Assert.Equal("You exceeded your current quota.", error.Message);
        Assert.Equal("rate_limit_error", error.Type);
    }

    [Theory]
    [InlineData("The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).")]
    [InlineData("Unable to submit request because the input token count is 1200000 but model only supports up to 1048576. Reduce the input token count and try again.")]
    public void Parse_InputTokenCountExceeded_ContextWindowExceeded(string message)
    {
        Assert.Equal(UpstreamErrorReason.ContextWindowExceeded, Parse(Envelope(400, "INVALID_ARGUMENT", message), 400).Reason);
    }

    [Theory]
    [InlineData("models/gemini-9-ultra is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.")]
    [InlineData("Publisher Model `projects/p/locations/us-central1/publishers/google/models/gemini-9` was not found or your project does not have access to it.")]
    public void Parse_ModelNotFound_UnknownModel(string message)
    {
        var error = Parse(Envelope(404, "NOT_FOUND", message), 404);

        Assert.Equal(UpstreamErrorReason.UnknownModel, error.Reason);
        Assert.Equal("invalid_request_error", error.Type);
    }

    [Theory]
    [InlineData("The request was blocked because it contains prohibited content.")]
    [InlineData("Request contains content that was flagged by SAFETY filters.")]
    public void Parse_SafetyRelated400_ContentPolicy(string message)
    {
        Assert.Equal(UpstreamErrorReason.ContentPolicy, Parse(Envelope(400, "INVALID_ARGUMENT", message), 400).Reason);
    }

    [Fact]
    public void Parse_InvalidSafetySettingsValue_NotContentPolicy()
    {
        var error = Parse(Envelope(400, "INVALID_ARGUMENT", "Invalid value at 'safety_settings[0].threshold', \\\"BLOCK_SOMETIMES\\\""), 400);

        Assert.Equal(UpstreamErrorReason.Unclassified, error.Reason);
    }

    [Fact]
    public void Parse_ArrayEnvelope_ReadAsTheFirstError()
    {
        var error = Parse("[" + Envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", """[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3s"}]""") + "]", 429);

        Assert.Equal(("Quota exceeded.", "rate_limit_error", TimeSpan.FromSeconds(3)), (error.Message, error.Type, error.RetryAfter));
    }

    [Fact]
    public void Parse_NoMessage_StatusNamedNotDetails()
    {
        var error = Parse("""{"error":{"code":500,"status":"INTERNAL","details":[{"@type":"type.googleapis.com/google.rpc.DebugInfo","detail":"secret stack"}]}}""", 500);

        Assert.Equal("The upstream answered HTTP 500 INTERNAL.", error.Message);
        Assert.Equal("api_error", error.Type);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", 502, "api_error")]
    [InlineData("", 429, "rate_limit_error")]
    [InlineData("""{"unexpected":true}""", 400, "invalid_request_error")]
    public void Parse_NotAGoogleEnvelope_SharedFallbackTypedByStatus(string body, int status, string type)
    {
        var error = Parse(body, status);

        Assert.StartsWith($"The upstream answered HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Equal((type, (int?)null, UpstreamErrorReason.Unclassified), (error.Type, error.Status, error.Reason));
    }
}
