using System.Net.Http.Headers;
using System.Text;
using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The test library's SigV4 (which the fakes verify with) reproduces AWS's published vectors and botocore's Bedrock signature.</summary>
public sealed class AwsSigV4Tests
{
    private static readonly FakeAwsCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset VanillaTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BedrockTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string ConverseUrl = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
    private const string ConverseBody = """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":16}}""";

    [Theory]
    [InlineData("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void Sign_AwsVanillaVectors_GiveAwsSignatures(string method, string signature)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://example.amazonaws.com/");

        AwsSigV4.Sign(request, [], Example, "us-east-1", "service", VanillaTime);

        Assert.Equal("20150830T123600Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
            request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void SigningKey_BedrockScope_IsBotocoresKey()
    {
        Assert.Equal("21089d499243805272d09b1eadc838ec9bedda1a512030b640901ab384b28a19",
            Convert.ToHexStringLower(AwsSigV4.SigningKey(Example.SecretAccessKey, "20240101", "us-east-1", "bedrock")));
        Assert.Equal("5903c58ae9037766e41ea3e3ef4368cbac6b3f82d1c1f15a67ac4a7520b79d7f", AwsSigV4.HexSha256(Encoding.UTF8.GetBytes(ConverseBody)));
    }

    [Theory]
    [InlineData(null, "content-type;host;x-amz-date", "4b64f4e218c722307a5b74bbd99a9aaecaff7ae8e6b7dc1dc81340ce75999c6e")]
    [InlineData("SESSIONTOKEN", "content-type;host;x-amz-date;x-amz-security-token", "123290a219646b2785f16ab1a4da58eb8bf9c267d914a2c558a57ab794381803")]
    public void Sign_BedrockConverse_MatchesBotocoreByteForByte(string? sessionToken, string signedHeaders, string signature)
    {
        var body = Encoding.UTF8.GetBytes(ConverseBody);
        using var request = new HttpRequestMessage(HttpMethod.Post, ConverseUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        AwsSigV4.Sign(request, body, Example with { SessionToken = sessionToken }, "us-east-1", "bedrock", BedrockTime);

        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/bedrock/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            request.Headers.GetValues("Authorization").Single());
    }

    [Theory]
    [InlineData("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", "/model/us.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse")]
    [InlineData("/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/converse", "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse")]
    [InlineData("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x-v1%3A0/invoke",
        "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Ainference-profile%252Fus.x-v1%253A0/invoke")]
    [InlineData("", "/")]
    public void CanonicalUri_EncodesEachSegmentAgain(string rawPath, string canonical) => Assert.Equal(canonical, AwsSigV4.CanonicalUri(rawPath));
}
