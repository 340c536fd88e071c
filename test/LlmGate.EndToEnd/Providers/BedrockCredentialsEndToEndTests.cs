using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Providers;

/// <summary>
/// Bedrock with temporary credentials from STS (a fake that checks AssumeRole's signature and issues expiring keys that
/// the fake Bedrock accepts until they expire): an assumed role, EKS's web identity, a refusal, and a refresh on expiry.
/// </summary>
public sealed class BedrockCredentialsEndToEndTests : IAsyncLifetime
{
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Role = "arn:aws:iam::123456789012:role/bedrock-invoker";

    // Starts at the real time: the AWS SDK signs STS calls on the system clock (and corrects itself from STS's Date
    // header once the fake clock has moved on).
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), "llmgate-web-identity-" + Guid.NewGuid().ToString("N"));
    private FakeSts _sts = null!;
    private FakeBedrock _bedrock = null!;

    public async Task InitializeAsync()
    {
        _sts = await FakeSts.StartAsync(AccessKey, SecretKey, "us-east-1", _time);
        // Bedrock knows only what STS issues: the long-term key itself is not accepted there.
        _bedrock = await FakeBedrock.StartAsync("AKIAOTHERKEYNOTUSED00", "other-secret", "us-east-1", time: _time);
        _bedrock.AcceptCredentialsFrom(_sts);
    }

    public async Task DisposeAsync()
    {
        await _bedrock.DisposeAsync();
        await _sts.DisposeAsync();
        File.Delete(_tokenFile);
    }

    private Task<TestGateway> GatewayAsync(string credentials, Dictionary<string, string>? environment = null) => TestGateway.StartAsync($"""
        model_list:
          - model_name: nova
            litellm_params:
              model: bedrock/amazon.nova-lite-v1:0
              api_base: {_bedrock.ApiBase}
              aws_region_name: us-east-1
              aws_sts_endpoint: {_sts.ServiceUrl}
        {credentials}
        """, environment, services => services.AddSingleton<TimeProvider>(_time));

    private const string AssumeRole = $"""
              aws_access_key_id: {AccessKey}
              aws_secret_access_key: {SecretKey}
              aws_role_name: {Role}
              aws_session_name: llmgate-test
        """;

    [Fact]
    public async Task AssumedRole_CallsSignedWithStsCredentials_FetchedOnce()
    {
        await using var gateway = await GatewayAsync(AssumeRole);
        var client = GatewayClients.Chat(gateway.BaseAddress, "nova");

        await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        await client.CompleteChatAsync([new UserChatMessage("Again")]);

        Assert.Equal(1, _sts.CredentialsIssued);
        var issued = Assert.Single(_sts.Issued);
        Assert.All(_bedrock.Calls, c => Assert.Equal(issued.AccessKeyId, c.SignedBy));
        Assert.Contains("Action=AssumeRole", _sts.Received.First().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumedRole_Expired_RefreshedOnceForCallsInFlight()
    {
        await using var gateway = await GatewayAsync(AssumeRole);
        var client = GatewayClients.Chat(gateway.BaseAddress, "nova");
        await client.CompleteChatAsync([new UserChatMessage("first")]);

        _time.Advance(TimeSpan.FromHours(1));
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sts.HoldRequests = hold;
        var calls = Enumerable.Range(0, 4).Select(i => client.CompleteChatAsync([new UserChatMessage($"call {i}")])).ToArray();
        await _sts.WaitForRequestsAsync(2);
        hold.SetResult();
        await Task.WhenAll(calls);

        Assert.Equal(2, _sts.CredentialsIssued);
        Assert.Equal(5, _bedrock.Calls.Count);
    }

    [Fact]
    public async Task WebIdentity_FromEksTokenFileAndRoleArn()
    {
        _sts.WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bGxtOmdhdGV3YXkifQ.signature";
        await File.WriteAllTextAsync(_tokenFile, _sts.WebIdentityToken + "\n");
        await using var gateway = await GatewayAsync("", new Dictionary<string, string>
        {
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = _tokenFile,
            ["AWS_ROLE_ARN"] = Role,
        });

        ChatCompletion completion = await GatewayClients.Chat(gateway.BaseAddress, "nova").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.StartsWith("Hello from fake Bedrock!", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Contains("Action=AssumeRoleWithWebIdentity", Assert.Single(_sts.Received).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StsRefuses_Call401NamingTheRole()
    {
        _sts.Refuse = true;
        await using var gateway = await GatewayAsync(AssumeRole);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"nova","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var message = JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>();
        Assert.Contains(Role, message, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, body, StringComparison.Ordinal);
        Assert.Empty(_bedrock.Calls);
    }
}
