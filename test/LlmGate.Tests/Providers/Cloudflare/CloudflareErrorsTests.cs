using System.Text;
using LlmGate.Providers;
using LlmGate.Providers.Cloudflare;

namespace LlmGate.Tests.Providers.Cloudflare;

public sealed class CloudflareErrorsTests
{
    private static UpstreamError Parse(string body, int status) => CloudflareErrors.Parse(Encoding.UTF8.GetBytes(body), status);

    private static string Envelope(int code, string message) =>
        $$"""{"result":null,"success":false,"errors":[{"code":{{code}},"message":"{{message}}"}],"messages":[]}""";

    [Theory]
    [InlineData(10000, 401, 401, "authentication_error", "Unclassified")]
    [InlineData(10000, 403, 401, "authentication_error", "Unclassified")]
    [InlineData(5007, 400, 404, "invalid_request_error", "UnknownModel")]
    [InlineData(3042, 404, 404, "invalid_request_error", "UnknownModel")]
    [InlineData(7003, 400, 404, "invalid_request_error", "Unclassified")]
    [InlineData(3036, 429, 429, "rate_limit_error", "Unclassified")]
    [InlineData(3040, 429, 429, "rate_limit_error", "Unclassified")]
    [InlineData(3007, 408, 408, "api_error", "Unclassified")]
    [InlineData(5006, 400, 400, "invalid_request_error", "Unclassified")]
    [InlineData(3043, 500, 500, "api_error", "Unclassified")]
    [InlineData(5018, 403, 403, "permission_error", "Unclassified")]
    public void Parse_Code_OpenAiStatusTypeAndReason(int code, int status, int expectedStatus, string type, string reason)
    {
        var error = Parse(Envelope(code, "Something went wrong."), status);

        Assert.Equal(("Something went wrong.", type, (string?)null, reason), (error.Message, error.Type, error.Param, error.Reason.ToString()));
        Assert.Equal(expectedStatus, error.Status ?? status);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Code);
    }

    [Fact]
    public void Parse_SeveralErrors_MessagesJoined()
    {
        var error = Parse("""
            {"success":false,"errors":[{"code":7003,"message":"Could not route to /client/v4/accounts/x/ai/run/@cf/m, perhaps your object identifier is invalid?"},
             {"code":7000,"message":"No route for that URI"}],"messages":[],"result":null}
            """, 400);

        Assert.Equal("Could not route to /client/v4/accounts/x/ai/run/@cf/m, perhaps your object identifier is invalid?; No route for that URI", error.Message);
    }

    [Fact]
    public void Parse_InputTooLong_ContextWindowExceeded()
    {
        Assert.Equal(UpstreamErrorReason.ContextWindowExceeded, Parse(Envelope(5006, "AiError: Input is too long for this model's context window"), 400).Reason);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>", 502, "api_error")]
    [InlineData("""{"message":"plain"}""", 429, "rate_limit_error")]
    public void Parse_NotTheEnvelope_DescribedWithTheStatusType(string body, int status, string type)
    {
        var error = Parse(body, status);

        Assert.Equal(type, error.Type);
        Assert.False(string.IsNullOrEmpty(error.Message));
    }
}
