using System.Net;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake Bedrock takes a request only as AWS would: a SigV4 signature it can recompute, or its Bedrock API key.</summary>
public sealed class FakeBedrockAuthTests : IAsyncLifetime
{
    private const string Model = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string Body = """{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":16}}""";
    private const string ApiKey = "ABSKQmVkcm9ja0FQSUtleS1mYWtl";
    private static readonly FakeAwsCredentials Key = new("AKIAFAKEBEDROCK00001", "fake/secret+key0123456789abcdefghijklmnop");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeBedrock _bedrock = null!;
    private BedrockTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _bedrock = await FakeBedrock.StartAsync(Key.AccessKeyId, Key.SecretAccessKey, "us-east-1", ApiKey, _time);
        _client = new BedrockTestClient(_bedrock, Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _bedrock.DisposeAsync();
    }

    [Fact]
    public async Task Post_ValidSignature_IsAnsweredAndRecordedWithRawAndDecodedModelId()
    {
        var (status, _, body) = await _client.PostAsync(Model, "converse", Body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Hello from fake Bedrock! You said: hi", body["output"]!["message"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(new BedrockCall(Model, "converse", Key.AccessKeyId), Assert.Single(_bedrock.Calls));
        Assert.Equal("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", Assert.Single(_bedrock.Received).RawTarget);
    }

    [Fact]
    public async Task Post_BedrockApiKey_IsAnsweredWithoutSigV4()
    {
        var (status, _, _) = await _client.PostAsync(Model, "converse", Body, r => ReplaceAuthorization(r, $"Bearer {ApiKey}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", Assert.Single(_bedrock.Calls).SignedBy);
    }

    [Theory]
    [InlineData("wrong secret", "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.")]
    [InlineData("body changed after signing", "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.")]
    [InlineData("host unsigned", "InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")]
    [InlineData("signed 16 minutes ago", "InvalidSignatureException", "Signature expired: 20260301T114400Z is now earlier than 20260301T114500Z (20260301T120000Z - 15 min.)")]
    [InlineData("signed for bedrock-runtime", "InvalidSignatureException", "Credential should be scoped to correct service: 'bedrock'.")]
    [InlineData("signed for another region", "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'.")]
    [InlineData("unknown key", "UnrecognizedClientException", "The security token included in the request is invalid.")]
    [InlineData("no authorization", "MissingAuthenticationTokenException", "Missing Authentication Token")]
    [InlineData("wrong api key", "UnrecognizedClientException", "The security token included in the request is invalid.")]
    public async Task Post_AuthenticationAwsWouldRefuse_Is403WithAwsError(string flaw, string errorType, string message)
    {
        FakeAwsCredentials? signer = flaw switch
        {
            "wrong secret" => Key with { SecretAccessKey = "another/secret" },
            "unknown key" => Key with { AccessKeyId = "AKIAUNKNOWN000000000" },
            _ => null,
        };
        Action<HttpRequestMessage>? tamper = flaw switch
        {
            "body changed after signing" => r => r.Content = new StringContent(Body.Replace("hi", "ho", StringComparison.Ordinal), null, "application/json"),
            "host unsigned" => r => ReplaceAuthorization(r, r.Headers.GetValues("Authorization").Single().Replace("host;", "", StringComparison.Ordinal)),
            "signed for bedrock-runtime" => r => ReplaceAuthorization(r, r.Headers.GetValues("Authorization").Single().Replace("/bedrock/", "/bedrock-runtime/", StringComparison.Ordinal)),
            "signed for another region" => r => ReplaceAuthorization(r, r.Headers.GetValues("Authorization").Single().Replace("/us-east-1/", "/eu-west-1/", StringComparison.Ordinal)),
            "no authorization" => r => r.Headers.Remove("Authorization"),
            "wrong api key" => r => ReplaceAuthorization(r, "Bearer ABSKnot-the-key"),
            _ => null,
        };
        var signedAt = flaw == "signed 16 minutes ago" ? _time.GetUtcNow().AddMinutes(-16) : (DateTimeOffset?)null;

        var (status, type, body) = await _client.PostAsync(Model, "converse", Body, tamper, signer, signedAt);

        Assert.Equal((HttpStatusCode.Forbidden, errorType), (status, type));
        Assert.StartsWith(message, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_bedrock.Calls);
    }

    [Fact]
    public async Task Post_TemporaryCredentials_NeedTheirTokenSignedAndExpire()
    {
        var temporary = new FakeAwsCredentials("ASIAFAKETEMPORARY001", "temporary/secret", "SESSION-TOKEN", _time.GetUtcNow().AddHours(1));
        _bedrock.AcceptCredentials(temporary.AccessKeyId, temporary.SecretAccessKey, temporary.SessionToken, temporary.Expiration);

        var signed = await _client.PostAsync(Model, "converse", Body, signer: temporary);
        var unsigned = await _client.PostAsync(Model, "converse", Body, r => r.Headers.Add("X-Amz-Security-Token", "SESSION-TOKEN"), temporary with { SessionToken = null });
        var without = await _client.PostAsync(Model, "converse", Body, signer: temporary with { SessionToken = null });
        _time.Advance(TimeSpan.FromHours(1));
        var expired = await _client.PostAsync(Model, "converse", Body, signer: temporary);

        Assert.Equal(HttpStatusCode.OK, signed.Status);
        Assert.Equal(("InvalidSignatureException", "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization."), (unsigned.ErrorType, unsigned.Body["message"]!.GetValue<string>()));
        Assert.Equal("UnrecognizedClientException", without.ErrorType);
        Assert.Equal((HttpStatusCode.Forbidden, "ExpiredTokenException", "The security token included in the request is expired"),
            (expired.Status, expired.ErrorType, expired.Body["message"]!.GetValue<string>()));
    }

    private static void ReplaceAuthorization(HttpRequestMessage request, string value)
    {
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", value);
    }
}
