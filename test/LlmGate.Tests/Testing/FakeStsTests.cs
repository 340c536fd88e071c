using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using LlmGate.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>The fake STS issues temporary credentials only for a request STS would take, and they live as long as it says, at the fake Bedrock too.</summary>
public sealed class FakeStsTests : IAsyncLifetime
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/bedrock-role";
    private const string WebToken = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bGxtZ2F0ZSIsImF1ZCI6InN0cy5hbWF6b25hd3MuY29tIiwiaXNzIjoiaHR0cHM6Ly9vaWRjLmV4YW1wbGUifQ.";
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static readonly FakeAwsCredentials Caller = new("AKIAFAKECALLER000001", "caller/secret");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeSts _sts = null!;

    public async Task InitializeAsync() => _sts = await FakeSts.StartAsync(Caller.AccessKeyId, Caller.SecretAccessKey, time: _time);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sts.DisposeAsync();
    }

    [Fact]
    public async Task AssumeRole_Signed_IssuesCredentialsThatBedrockAcceptsUntilTheyExpire()
    {
        await using var bedrock = await FakeBedrock.StartAsync("AKIAFAKEBEDROCK00001", "unused/secret", time: _time);
        bedrock.AcceptCredentialsFrom(_sts);

        var (status, xml) = await PostAsync(AssumeRole(), Caller);

        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Sts + "AssumeRoleResult")!;
        var credentials = result.Element(Sts + "Credentials")!;
        var issued = new FakeAwsCredentials(credentials.Element(Sts + "AccessKeyId")!.Value, credentials.Element(Sts + "SecretAccessKey")!.Value,
            credentials.Element(Sts + "SessionToken")!.Value);
        Assert.StartsWith("ASIA", issued.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal("2026-03-01T13:00:00Z", credentials.Element(Sts + "Expiration")!.Value);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/bedrock-role/llmgate", result.Element(Sts + "AssumedRoleUser")!.Element(Sts + "Arn")!.Value);
        Assert.NotEmpty(xml.Root.Element(Sts + "ResponseMetadata")!.Element(Sts + "RequestId")!.Value);
        Assert.Equal(1, _sts.CredentialsIssued);

        using var client = new BedrockTestClient(bedrock, issued);
        const string Body = """{"messages":[{"role":"user","content":[{"text":"hi"}]}]}""";
        var accepted = await client.PostAsync("amazon.nova-lite-v1:0", "converse", Body);
        _time.Advance(TimeSpan.FromHours(1));
        var expired = await client.PostAsync("amazon.nova-lite-v1:0", "converse", Body);

        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(issued.AccessKeyId, Assert.Single(bedrock.Calls).SignedBy);
        Assert.Equal((HttpStatusCode.Forbidden, "ExpiredTokenException", "The security token included in the request is expired"),
            (expired.Status, expired.ErrorType, expired.Body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AssumeRole_DurationSeconds_SetsTheExpiration()
    {
        var (_, xml) = await PostAsync([.. AssumeRole(), new("DurationSeconds", "900")], Caller);

        Assert.Equal("2026-03-01T12:15:00Z", xml.Descendants(Sts + "Expiration").Single().Value);
        Assert.Equal(_time.GetUtcNow().AddSeconds(900), Assert.Single(_sts.Issued).Expiration);
    }

    [Theory]
    [InlineData("unsigned", 403, "MissingAuthenticationToken", "Request is missing Authentication Token")]
    [InlineData("wrong secret", 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")]
    [InlineData("signed for bedrock", 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.")]
    [InlineData("unknown key", 403, "InvalidClientTokenId", "The security token included in the request is invalid.")]
    [InlineData("bad role arn", 400, "ValidationError", "Request ARN is invalid")]
    [InlineData("no session name", 400, "ValidationError", "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")]
    [InlineData("too short", 400, "ValidationError", "1 validation error detected: Value '100' at 'durationSeconds'")]
    [InlineData("wrong external id", 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/llmgate is not authorized to perform: sts:AssumeRole on resource: " + RoleArn)]
    [InlineData("refused", 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/llmgate is not authorized to perform: sts:AssumeRole")]
    [InlineData("unknown action", 400, "InvalidAction", "Could not find operation GetSessionToken for version 2011-06-15")]
    public async Task AssumeRole_RequestStsWouldRefuse_IsItsErrorResponse(string flaw, int status, string code, string message)
    {
        _sts.ExternalId = flaw == "wrong external id" ? "expected-external-id" : null;
        _sts.Refuse = flaw == "refused";
        var form = AssumeRole().Where(p => !(flaw == "no session name" && p.Key == "RoleSessionName"))
            .Select(p => (flaw, p.Key) switch
            {
                ("bad role arn", "RoleArn") => new("RoleArn", "arn:aws:iam::1234:role/x"),
                ("unknown action", "Action") => new("Action", "GetSessionToken"),
                _ => p,
            })
            .Concat(flaw switch
            {
                "too short" => [new("DurationSeconds", "100")],
                "wrong external id" => [new("ExternalId", "another")],
                _ => Array.Empty<KeyValuePair<string, string>>(),
            });
        var signer = flaw switch { "unsigned" => null, "wrong secret" => Caller with { SecretAccessKey = "wrong" }, "unknown key" => Caller with { AccessKeyId = "AKIAUNKNOWN000000000" }, _ => Caller };

        var (received, xml) = await PostAsync([.. form], signer, flaw == "signed for bedrock" ? "bedrock" : FakeSts.SigningName);

        var error = xml.Root!.Element(Sts + "Error")!;
        Assert.Equal(((HttpStatusCode)status, "Sender", code), (received, error.Element(Sts + "Type")!.Value, error.Element(Sts + "Code")!.Value));
        Assert.StartsWith(message, error.Element(Sts + "Message")!.Value, StringComparison.Ordinal);
        Assert.Equal(0, _sts.CredentialsIssued);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_Unsigned_IssuesCredentialsForTheExpectedTokenOnly()
    {
        _sts.WebIdentityToken = WebToken;
        KeyValuePair<string, string>[] form = [new("Action", "AssumeRoleWithWebIdentity"), new("Version", "2011-06-15"), new("RoleArn", RoleArn), new("RoleSessionName", "llmgate")];

        var (wrong, refusal) = await PostAsync([.. form, new("WebIdentityToken", "another-token")], signer: null);
        var (status, xml) = await PostAsync([.. form, new("WebIdentityToken", WebToken)], signer: null);

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidIdentityToken"), (wrong, refusal.Descendants(Sts + "Code").Single().Value));
        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Sts + "AssumeRoleWithWebIdentityResult")!;
        Assert.Equal(("system:serviceaccount:llmgate", "sts.amazonaws.com", "https://oidc.example"),
            (result.Element(Sts + "SubjectFromWebIdentityToken")!.Value, result.Element(Sts + "Audience")!.Value, result.Element(Sts + "Provider")!.Value));
        Assert.StartsWith("ASIA", result.Element(Sts + "Credentials")!.Element(Sts + "AccessKeyId")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_HoldRequests_AnswersOnlyOnceReleased()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sts.HoldRequests = hold;

        var pending = PostAsync(AssumeRole(), Caller);
        await _sts.WaitForRequestsAsync(1);
        Assert.False(pending.IsCompleted);
        hold.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
    }

    [Fact]
    public async Task AssumeRole_AwsSdkClient_GetsCredentials()
    {
        await using var sts = await FakeSts.StartAsync(Caller.AccessKeyId, Caller.SecretAccessKey);
        using var client = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(Caller.AccessKeyId, Caller.SecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = sts.ServiceUrl.ToString(), AuthenticationRegion = "us-east-1" });

        var response = await client.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "llmgate", DurationSeconds = 1800 });

        Assert.Equal(Assert.Single(sts.Issued).AccessKeyId, response.Credentials.AccessKeyId);
        Assert.Equal(Assert.Single(sts.Issued).SessionToken, response.Credentials.SessionToken);
    }

    private static KeyValuePair<string, string>[] AssumeRole() =>
        [new("Action", "AssumeRole"), new("Version", "2011-06-15"), new("RoleArn", RoleArn), new("RoleSessionName", "llmgate")];

    // Posts the form, signed by signer (unsigned when null) for the service.
    private async Task<(HttpStatusCode Status, XDocument Xml)> PostAsync(KeyValuePair<string, string>[] form, FakeAwsCredentials? signer, string service = FakeSts.SigningName)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, _sts.ServiceUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        if (signer is not null)
        {
            AwsSigV4.Sign(request, body, signer, _sts.Region, service, _time.GetUtcNow());
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }
}
