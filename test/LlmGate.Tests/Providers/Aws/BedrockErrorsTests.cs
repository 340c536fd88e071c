using System.Text;
using LlmGate.Providers;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockErrorsTests
{
    private static UpstreamError Parse(string body, int status, string? errorType = null) => BedrockErrors.Parse(Encoding.UTF8.GetBytes(body), status, errorType);

    [Theory]
    [InlineData("ValidationException", 400, 400, "invalid_request_error")]
    [InlineData("ServiceQuotaExceededException", 400, 429, "rate_limit_error")]
    [InlineData("AccessDeniedException", 403, 403, "permission_error")]
    [InlineData("ResourceNotFoundException", 404, 404, "invalid_request_error")]
    [InlineData("ModelTimeoutException", 408, 504, "api_error")]
    [InlineData("ThrottlingException", 429, 429, "rate_limit_error")]
    [InlineData("ModelNotReadyException", 429, 429, "rate_limit_error")]
    [InlineData("ModelErrorException", 424, 500, "api_error")]
    [InlineData("ModelStreamErrorException", 424, 500, "api_error")]
    [InlineData("InternalServerException", 500, 500, "api_error")]
    [InlineData("ServiceUnavailableException", 503, 503, "api_error")]
    [InlineData("UnrecognizedClientException", 403, 401, "authentication_error")]
    [InlineData("InvalidSignatureException", 403, 401, "authentication_error")]
    [InlineData("ExpiredTokenException", 403, 401, "authentication_error")]
    [InlineData("SomethingNewException", 409, 409, "api_error")]
    public void Parse_ExceptionInTheHeader_OpenAiStatusAndType(string exception, int status, int expectedStatus, string type)
    {
        var error = Parse("""{"message":"Something went wrong."}""", status, exception + ":http://internal.amazon.com/coral/com.amazon.bedrock/");

        Assert.Equal(("Something went wrong.", type, (string?)null, exception), (error.Message, error.Type, error.Param, error.Code));
        Assert.Equal(expectedStatus, error.Status ?? status);
        Assert.Equal(expectedStatus == status ? null : expectedStatus, error.Status);
    }

    [Theory]
    [InlineData("""{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}""", "UnrecognizedClientException", 401)]
    [InlineData("""{"code":"ThrottlingException","Message":"Rate exceeded"}""", "ThrottlingException", 429)]
    [InlineData("""{"Message":"User is not authorized"}""", null, 403)]
    public void Parse_ExceptionInTheBody_ReadFromTypeOrCode(string body, string? exception, int expectedStatus)
    {
        var error = Parse(body, 403);

        Assert.Equal(exception, error.Code);
        Assert.Equal(expectedStatus, error.Status ?? 403);
        Assert.DoesNotContain("{", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderWinsOverBody()
    {
        Assert.Equal("ThrottlingException", Parse("""{"__type":"ValidationException","message":"x"}""", 429, "ThrottlingException").Code);
    }

    [Theory]
    [InlineData(424, 500, "api_error")]
    [InlineData(400, 400, "invalid_request_error")]
    [InlineData(502, 502, "api_error")]
    public void Parse_NoExceptionName_TypeFromStatus(int status, int expectedStatus, string type)
    {
        var error = Parse("""{"message":"x"}""", status);

        Assert.Equal((expectedStatus, type), (error.Status ?? status, error.Type));
    }

    [Fact]
    public void Parse_NotJson_TextDescribed()
    {
        var error = Parse("<html>Bad Gateway</html>", 502);

        Assert.Equal(("The upstream answered HTTP 502: <html>Bad Gateway</html>", "api_error"), (error.Message, error.Type));
        Assert.Equal(UpstreamErrorReason.Unclassified, error.Reason);
    }

    [Fact]
    public void Parse_LongMessage_Cut()
    {
        var error = Parse($$"""{"message":"{{new string('x', 5000)}}"}""", 400, "ValidationException");

        Assert.Equal(2001, error.Message.Length);
    }

    [Theory]
    [InlineData("Input is too long for requested model.")]
    [InlineData("prompt is too long: 220000 tokens > 200000 maximum")]
    [InlineData("Too many input tokens. Max input tokens: 8192, request input token count: 9000")]
    [InlineData("This model's maximum context length is 8192 tokens. Please reduce the length of the prompt.")]
    [InlineData("The input exceeds the maximum number of tokens for this model.")]
    public void Parse_PromptTooLong_ContextWindowExceeded(string message)
    {
        Assert.Equal(UpstreamErrorReason.ContextWindowExceeded, Parse($$"""{"message":"{{message}}"}""", 400, "ValidationException").Reason);
    }

    [Theory]
    [InlineData("The request was blocked by guardrail gr-123.")]
    [InlineData("This request has been blocked by our content filters.")]
    public void Parse_ContentRefused_ContentPolicy(string message)
    {
        Assert.Equal(UpstreamErrorReason.ContentPolicy, Parse($$"""{"message":"{{message}}"}""", 400, "ValidationException").Reason);
    }

    [Theory]
    [InlineData(400, "ValidationException", "The provided model identifier is invalid.")]
    [InlineData(404, "ResourceNotFoundException", "Model not found.")]
    public void Parse_UnknownModel_UnknownModel(int status, string exception, string message)
    {
        Assert.Equal(UpstreamErrorReason.UnknownModel, Parse($$"""{"message":"{{message}}"}""", status, exception).Reason);
    }

    [Theory]
    [InlineData(400, "ValidationException", "The maximum tokens you requested exceeds the model limit of 8192.")]
    [InlineData(429, "ThrottlingException", "Input is too long for requested model.")]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.")]
    public void Parse_OtherFailures_Unclassified(int status, string exception, string message)
    {
        Assert.Equal(UpstreamErrorReason.Unclassified, Parse($$"""{"message":"{{message}}"}""", status, exception).Reason);
    }

    [Fact]
    public void FromStreamEvent_ModelStreamError_500WithItsMessage()
    {
        var error = BedrockErrors.FromStreamEvent(new UpstreamEvent(
            "exception:modelStreamErrorException", """{"message":"Model failed.","originalStatusCode":424,"originalMessage":"x"}"""u8.ToArray()));

        Assert.Equal(("Model failed.", 500, "api_error"), (error.Message, error.Status, error.Type));
    }

    [Fact]
    public void Parse_SignatureMismatch_CanonicalRequestWithItsSessionTokenLeftOut()
    {
        const string body = """{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/model/x/converse\n\ncontent-type:application/json\nx-amz-security-token:IQoJb3JpZ2luX2VjSECRETTOKEN\n'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256'\n"}""";

        var error = BedrockErrors.Parse(System.Text.Encoding.UTF8.GetBytes(body), 403, "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/");

        Assert.DoesNotContain("SECRETTOKEN", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Consult the service documentation for details.", error.Message, StringComparison.Ordinal);
    }
}
