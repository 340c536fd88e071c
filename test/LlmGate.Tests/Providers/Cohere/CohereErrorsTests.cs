using System.Text;
using LlmGate.Providers;
using LlmGate.Providers.Cohere;

namespace LlmGate.Tests.Providers.Cohere;

public sealed class CohereErrorsTests
{
    private static UpstreamError Parse(string body, int status) => CohereErrors.Parse(Encoding.UTF8.GetBytes(body), status);

    [Theory]
    [InlineData(400, 400, "invalid_request_error")]
    [InlineData(401, 401, "authentication_error")]
    [InlineData(402, 429, "insufficient_quota")]
    [InlineData(403, 403, "permission_error")]
    [InlineData(404, 404, "invalid_request_error")]
    [InlineData(422, 422, "invalid_request_error")]
    [InlineData(429, 429, "rate_limit_error")]
    [InlineData(498, 401, "authentication_error")]
    [InlineData(499, 500, "api_error")]
    [InlineData(500, 500, "api_error")]
    [InlineData(503, 503, "api_error")]
    [InlineData(504, 504, "api_error")]
    public void Parse_Status_OpenAiStatusAndType(int status, int expectedStatus, string type)
    {
        var error = Parse("""{"id":"5e1f1b0a","message":"Something went wrong."}""", status);

        Assert.Equal(("Something went wrong.", type, (string?)null), (error.Message, error.Type, error.Param));
        Assert.Equal(expectedStatus, error.Status ?? status);
        Assert.Equal(expectedStatus == status ? null : expectedStatus, error.Status);
        Assert.Equal(UpstreamErrorReason.Unclassified, error.Reason);
    }

    [Fact]
    public void Parse_TooManyTokens_ContextWindowExceeded()
    {
        var error = Parse("""{"message":"invalid request: too many tokens: size limit exceeded by 1124 tokens. Try using shorter or fewer inputs, or setting prompt_truncation='AUTO'."}""", 400);

        Assert.Equal(UpstreamErrorReason.ContextWindowExceeded, error.Reason);
    }

    [Fact]
    public void Parse_ModelNotFound_UnknownModel()
    {
        var error = Parse("""{"id":"x","message":"model 'command-z' not found, make sure the correct model ID was used and that you have access to the model."}""", 404);

        Assert.Equal(UpstreamErrorReason.UnknownModel, error.Reason);
    }

    [Theory]
    [InlineData("<html>Bad Gateway</html>", 502)]
    [InlineData("", 503)]
    public void Parse_NotJson_DescribedWithTheStatusType(string body, int status)
    {
        var error = Parse(body, status);

        Assert.StartsWith($"The upstream answered HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Equal("api_error", error.Type);
    }
}
