using System.Text;
using Amazon.Runtime;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers.Aws;

/// <summary>The reference's Bedrock Converse vector, computed by botocore's SigV4Auth and matched byte for byte.</summary>
public sealed class AwsRequestSignerTests
{
    private const string Body = """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":16}}""";
    private static readonly DateTimeOffset SignedAt = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static HttpRequestMessage Sign(string? sessionToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
        AwsRequestSigner.Sign(request, Encoding.UTF8.GetBytes(Body), new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken),
            "us-east-1", AwsRequestSigner.BedrockService, SignedAt);
        return request;
    }

    [Fact]
    public void Sign_LongTermCredentials_BotocoresSignature()
    {
        using var request = Sign(sessionToken: null);

        Assert.Equal("20240101T000000Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=4b64f4e218c722307a5b74bbd99a9aaecaff7ae8e6b7dc1dc81340ce75999c6e",
            request.Headers.GetValues("Authorization").Single());
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
    }

    [Fact]
    public void Sign_SessionToken_SignedAndSent()
    {
        using var request = Sign("SESSIONTOKEN");

        Assert.Equal("SESSIONTOKEN", request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.EndsWith(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=123290a219646b2785f16ab1a4da58eb8bf9c267d914a2c558a57ab794381803",
            request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
    }
}
