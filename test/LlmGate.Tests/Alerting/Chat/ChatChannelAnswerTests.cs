using System.Net;
using System.Net.Sockets;
using LlmGate.Alerting.Chat;
using LlmGate.Alerting.Delivery;
using LlmGate.Configuration;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting.Chat;

public sealed class ChatChannelAnswerTests : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task SlackSendAsync_Accepted_DeliveredAndRecorded()
    {
        await using var slack = await FakeSlack.StartAsync();
        var channel = Slack(slack.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("🟠 LLM API exception", (string?)Assert.Single(slack.AcceptedAt(slack.WebhookUrl)).Json["blocks"]![0]!["text"]!["text"]);
    }

    [Fact]
    public async Task SlackSendAsync_RateLimited_RetryableAfterRetryAfter()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.RateLimitNext(1, 7);
        var channel = Slack(slack.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, true, 429, TimeSpan.FromSeconds(7), "429 rate_limited"), answer);
    }

    [Fact]
    public async Task SlackSendAsync_Down_Retryable()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.SetDown(true);
        var channel = Slack(slack.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, true, 503, null, "503 service_unavailable"), answer);
    }

    [Fact]
    public async Task SlackSendAsync_TokenRevoked_FinalWithoutTheUrl()
    {
        await using var slack = await FakeSlack.StartAsync();
        var revoked = new Uri(slack.WebhookUrl, slack.WebhookUrl.AbsolutePath + "x");
        var channel = Slack(revoked);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, false, 404, null, "404 no_service"), answer);
    }

    [Fact]
    public async Task SlackSendAsync_InvalidPayload_FinalWithSlacksError()
    {
        await using var slack = await FakeSlack.StartAsync();
        var channel = Slack(slack.WebhookUrl);

        var answer = await channel.SendAsync("""{"blocks":[{"type":"header","text":{"type":"mrkdwn","text":"x"}}]}""", CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, false, 400, null, "400 invalid_blocks"), answer);
        Assert.Empty(slack.Accepted);
    }

    [Fact]
    public async Task SlackSendAsync_NothingListening_RetryableAndNoToken()
    {
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}/services/T0/B0/secret-token-0123456789abcdef");
        var channel = Slack(url);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.False(answer.Delivered);
        Assert.True(answer.Retryable);
        Assert.Null(answer.StatusCode);
        Assert.DoesNotContain("secret-token", answer.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void SlackLaneName_Url_HashPrefixWithoutToken()
    {
        var url = new Uri("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX");

        var name = SlackChannel.LaneName(url);

        Assert.Matches("^slack-[0-9a-f]{8}$", name);
        Assert.Equal(name, SlackChannel.LaneName(new Uri(url.OriginalString)));
        Assert.NotEqual(name, SlackChannel.LaneName(new Uri(url.OriginalString + "Y")));
    }

    [Fact]
    public async Task DiscordSendAsync_Accepted_WaitsForTheMessage()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var channel = Discord(discord.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        Assert.Equal(200, answer.StatusCode); // 200 with the message: ?wait=true was sent
        Assert.Equal("LLM API exception", (string?)Assert.Single(discord.Accepted).Json["content"]);
    }

    [Fact]
    public async Task DiscordSendAsync_SlackCompatibleUrl_SlacksFormat()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var channel = Discord(discord.SlackCompatibleUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        Assert.NotNull(Assert.Single(discord.Accepted).Json["blocks"]);
    }

    [Fact]
    public async Task DiscordSendAsync_RateLimitedWithoutHeader_WaitsAsTheBodySays()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.RetryAfterHeader = false;
        discord.RateLimitNext(1, 3);
        var channel = Discord(discord.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, true, 429, TimeSpan.FromSeconds(3), "429 You are being rate limited."), answer);
    }

    [Fact]
    public async Task DiscordSendAsync_WrongToken_FinalWithDiscordsMessageWithoutToken()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var channel = Discord(new Uri(discord.WebhookUrl.AbsoluteUri.Replace(discord.Token, "A" + discord.Token, StringComparison.Ordinal)));

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, false, 401, null, "401 Invalid Webhook Token (code 50027)"), answer);
    }

    [Fact]
    public async Task DiscordSendAsync_InvalidForm_Final()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var channel = Discord(discord.WebhookUrl);

        var answer = await channel.SendAsync($$"""{"content":"{{new string('x', 2001)}}"}""", CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, false, 400, null, "400 Invalid Form Body (code 50035)"), answer);
    }

    [Fact]
    public async Task TeamsSendAsync_Accepted_202Delivered()
    {
        await using var teams = await FakeTeams.StartAsync();
        var channel = Teams(teams.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.True(answer.Delivered, answer.Description);
        Assert.Equal(202, answer.StatusCode);
        Assert.Equal("AdaptiveCard", (string?)Assert.Single(teams.Accepted).Json["attachments"]![0]!["content"]!["type"]);
    }

    [Fact]
    public async Task TeamsSendAsync_RateLimited_RetryableAfterRetryAfter()
    {
        await using var teams = await FakeTeams.StartAsync();
        teams.RateLimitNext(1, 2);
        var channel = Teams(teams.WebhookUrl);

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, true, 429, TimeSpan.FromSeconds(2), "429 WorkflowTriggeredTooFrequently: Rate limit reached."), answer);
    }

    [Fact]
    public async Task TeamsSendAsync_WrongSignature_FinalWithoutSignature()
    {
        await using var teams = await FakeTeams.StartAsync();
        var channel = Teams(new Uri(teams.WebhookUrl.AbsoluteUri.Replace(teams.Signature, "x" + teams.Signature, StringComparison.Ordinal)));

        var answer = await channel.SendAsync(channel.Render(ChatSamples.Exceptions()), CancellationToken.None);

        Assert.Equal(new DeliveryAnswer(false, false, 401, null, "401 DirectApiAuthorizationRequired: The request must be authenticated."), answer);
    }

    [Fact]
    public void Scrub_TextWithUrlAndToken_NeitherShown()
    {
        var url = new Uri("https://prod-00.westus.logic.azure.com:443/workflows/0123456789abcdef0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGNATURE0123456789abcdef");

        var text = WebhookAnswers.Scrub($"failed at {url.OriginalString}, sig SIGNATURE0123456789abcdef", WebhookAnswers.SecretsOf(url));

        Assert.DoesNotContain("SIGNATURE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef0123456789abcdef", text, StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private WebhookClient Client() => new(_http, TimeProvider.System);

    private SlackChannel Slack(Uri url) => new(url, isDefault: true, new HashSet<string>(), Client(), ChatSamples.Messages);

    private DiscordChannel Discord(Uri url) => new(new DiscordOptions(url), Client(), ChatSamples.Messages);

    private TeamsChannel Teams(Uri url) => new(new TeamsOptions(url), Client(), ChatSamples.Messages);
}
