using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Alerting.Webhook;

/// <summary>The real gateway in-process: a virtual key's budget alert reaches a signed webhook as LiteLLM's WebhookEvent.</summary>
public sealed class WebhookEndToEndTests
{
    private const string MasterKey = "sk-master-webhook-e2e";
    private const string Secret = "whsec-budget-8c1f3e5a7b";

    [Fact]
    public async Task BudgetAt85Percent_WebhookEventSignedAndWithoutTheKey()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var receiver = await FakeWebhookReceiver.StartAsync(Secret);
        var logs = new FakeLogCollector();
        // "metered": free input, 0.01 per output token; the fake answers 6 completion tokens, so one call costs 0.06.
        var yaml = $$"""
            model_list:
              - model_name: metered
                litellm_params: {model: openai/metered, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
                model_info: {input_cost_per_token: 0, output_cost_per_token: 0.01}
            general_settings:
              master_key: {{MasterKey}}
              alerting: ["webhook"]
            llmgate_settings:
              alerting:
                webhook_secret: {{Secret}}
            """;
        var environment = new Dictionary<string, string> { ["WEBHOOK_URL"] = receiver.Url.ToString() };
        await using var gateway = await TestGateway.StartAsync(yaml, environment, services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        using var admin = new HttpClient { BaseAddress = gateway.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        using var generated = await admin.PostAsync(
            new Uri("key/generate", UriKind.Relative), new StringContent("""{"max_budget":0.07,"key_alias":"webhook-budget"}""", Encoding.UTF8, "application/json"));
        var key = JsonDocument.Parse(await generated.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        var chat = new ChatClient("metered", new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        });

        await chat.CompleteChatAsync(["Hi"], new ChatCompletionOptions { MaxOutputTokenCount = 1 }); // 0.06 of 0.07: 86 %
        await receiver.WaitForDeliveriesAsync(1, TimeSpan.FromSeconds(20));

        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(0, receiver.SignatureFailures);
        Assert.Equal(FakeWebhookReceiver.SignatureOf(Encoding.UTF8.GetBytes(delivery.RawBody), Secret), delivery.Signature);
        Assert.Equal("budget_alerts", delivery.Event);
        var body = delivery.Body;
        Assert.Equal("threshold_crossed", body.GetProperty("event").GetString());
        Assert.Equal("key", body.GetProperty("event_group").GetString());
        Assert.Equal("Key Budget: Threshold Crossed", body.GetProperty("event_message").GetString());
        Assert.Equal(0.06, body.GetProperty("spend").GetDouble(), 9);
        Assert.Equal(0.07, body.GetProperty("max_budget").GetDouble());
        Assert.Equal("webhook-budget", body.GetProperty("key_alias").GetString());
        Assert.Equal(64, body.GetProperty("token").GetString()!.Length); // the key's hash, as LiteLLM sends it
        Assert.Equal(JsonValueKind.Null, body.GetProperty("user_email").ValueKind);
        Assert.Equal("firing", body.GetProperty("status").GetString());
        Assert.Equal(delivery.Delivery, body.GetProperty("dedup_key").GetString());
        Assert.DoesNotContain(key, delivery.RawBody, StringComparison.Ordinal);
        var logText = string.Join('\n', logs.GetSnapshot().Select(l => l.Message + " " + string.Join(' ', l.StructuredState?.Select(p => p.Value) ?? [])));
        Assert.DoesNotContain(Secret, logText, StringComparison.Ordinal);
        Assert.DoesNotContain("T0KEN", logText, StringComparison.Ordinal);
        Assert.DoesNotContain(key, logText, StringComparison.Ordinal);
    }
}
