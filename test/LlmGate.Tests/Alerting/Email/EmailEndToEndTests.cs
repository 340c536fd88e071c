using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Alerting.Email;

/// <summary>The real gateway in-process, alerting by email to a <see cref="FakeSmtpServer"/> and to a webhook receiver.</summary>
public sealed class EmailEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FailureStorm_TriggerAndResolve_TwoMessagesToEveryRecipient()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 503;
        await using var receiver = await FakeWebhookReceiver.StartAsync("whsec-drill-5b7e9d1c3a");
        await using var smtp = await FakeSmtpServer.StartAsync("drill-bot", "drill-pa55-Kx72");
        var logs = new FakeLogCollector();
        var (yaml, environment) = FireDrillTests.Setup(
            receiver,
            smtp,
            extraGeneralSettings: """

                  alert_types: ["llm_api_failure"]
                  alerting_args: {failure_threshold: 2, failure_threshold_window_seconds: 3}
                """,
            extraAlertingSettings: """

                    routes: {llm_api_failure: [email]}
                """);
        // No retries, and the two calls at once, so that both failures land in the one-second window however slow the
        // machine's first call is (one after the other, they once came more than a second apart).
        yaml += "\nrouter_settings:\n  num_retries: 0\n";
        yaml = yaml.Replace("{model: openai/gpt-4o, api_key: sk-upstream-unused}", $"{{model: openai/gpt-4o, api_base: \"{upstream.ApiBase}\", api_key: {upstream.ApiKey}}}", StringComparison.Ordinal);
        await using var gateway = await TestGateway.StartAsync(yaml, environment, services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential(AlertingFixture.MasterKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        });

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync("Hi"))));

        // The trigger on the detector's next evaluation, the resolve once a full window (3 s: two calls at once fall in it
        // however far apart a busy machine answers them) has passed quietly.
        await smtp.WaitForMessagesAsync(2, Patience);

        var messages = smtp.Messages;
        Assert.Equal(2, messages.Count);
        Assert.Equal("[LlmGate] High: High LLM API Failure Rate", messages[0].Message.Subject);
        Assert.Equal("[LlmGate] Resolved: High LLM API Failure Rate", messages[1].Message.Subject);
        Assert.All(messages, m => Assert.Equal(["oncall@example.com", "lead@example.org"], m.EnvelopeTo));
        Assert.All(messages, m => Assert.Equal("drill-bot", m.User));
        Assert.Contains("Count: 2 in the last 3 s (threshold 2)", messages[0].Message.TextBody, StringComparison.Ordinal);
        Assert.Empty(receiver.Deliveries); // routed to email alone
        FireDrillTests.AssertNoSecret(LogText(logs));
    }

    [Fact]
    public async Task HealthServices_Email_DrillDeliveredAndLiteLlmAnswer()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync("whsec-drill-5b7e9d1c3a");
        await using var smtp = await FakeSmtpServer.StartAsync("drill-bot", "drill-pa55-Kx72");
        var logs = new FakeLogCollector();
        var (yaml, environment) = FireDrillTests.Setup(receiver, smtp);
        await using var gateway = await TestGateway.StartAsync(yaml, environment, services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        using var admin = Client(gateway, AlertingFixture.MasterKey);

        using var response = await admin.GetAsync(new Uri("health/services?service=email", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("Mock email alert sent to email", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["[LlmGate] Low: LlmGate fire drill", "[LlmGate] Resolved: LlmGate fire drill"], smtp.Messages.Select(m => m.Message.Subject));
        Assert.Empty(receiver.Deliveries);
        var status = await admin.GetStringAsync(new Uri("alerting/status", UriKind.Relative));
        Assert.Contains("\"email\"", status, StringComparison.Ordinal);
        FireDrillTests.AssertNoSecret(body + status + LogText(logs));
    }

    [Fact]
    public async Task HealthServices_Refusals_OpenAiErrorsWithoutSecrets()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync("whsec-drill-5b7e9d1c3a");
        await using var smtp = await FakeSmtpServer.StartAsync("drill-bot", "drill-pa55-Kx72");
        var (yaml, environment) = FireDrillTests.Setup(receiver, smtp);
        await using var gateway = await TestGateway.StartAsync(yaml, environment);
        using var admin = Client(gateway, AlertingFixture.MasterKey);
        using var anonymous = Client(gateway, null);

        using var noKey = await anonymous.GetAsync(new Uri("health/services?service=email", UriKind.Relative));
        var (slackStatus, slack) = await ErrorAsync(admin, "health/services?service=slack");
        var (langfuseStatus, langfuse) = await ErrorAsync(admin, "health/services?service=langfuse");
        smtp.RefuseNext(2, 550);
        var (refusedStatus, refused) = await ErrorAsync(admin, "health/services?service=email");

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Empty(smtp.Messages);
        Assert.Equal(400, slackStatus);
        Assert.Contains("configured: webhook, email", slack, StringComparison.Ordinal);
        Assert.Equal(400, langfuseStatus);
        Assert.Contains("not supported by LlmGate", langfuse, StringComparison.Ordinal);
        Assert.Equal(502, refusedStatus);
        Assert.Contains("SMTP 550", refused, StringComparison.Ordinal);
        FireDrillTests.AssertNoSecret(slack + langfuse + refused);
    }

    [Fact]
    public async Task AlertingTest_ChannelWebhook_JsonReportForThatChannelOnly()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync("whsec-drill-5b7e9d1c3a");
        await using var smtp = await FakeSmtpServer.StartAsync("drill-bot", "drill-pa55-Kx72");
        var (yaml, environment) = FireDrillTests.Setup(receiver, smtp);
        await using var gateway = await TestGateway.StartAsync(yaml, environment);
        using var admin = Client(gateway, AlertingFixture.MasterKey);

        using var response = await admin.PostAsync(new Uri("alerting/test?channel=webhook", UriKind.Relative), null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("success").GetBoolean());
        var drilled = Assert.Single(json.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal("webhook", drilled.GetProperty("kind").GetString());
        Assert.Equal(200, drilled.GetProperty("trigger").GetProperty("status_code").GetInt32());
        Assert.Equal(2, receiver.Deliveries.Count);
        Assert.Empty(smtp.Messages);
        FireDrillTests.AssertNoSecret(body);
    }

    private static HttpClient Client(TestGateway gateway, string? key)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    private static async Task<(int Status, string Message)> ErrorAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        return ((int)response.StatusCode, json.RootElement.GetProperty("error").GetProperty("message").GetString()!);
    }

    private static string LogText(FakeLogCollector logs) => string.Join('\n', logs.GetSnapshot().Select(l =>
        l.Message + " " + l.Exception + " " + string.Join(' ', l.StructuredState?.Select(p => p.Value) ?? [])));
}
