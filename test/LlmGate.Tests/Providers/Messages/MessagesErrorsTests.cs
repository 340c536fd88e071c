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
}
