using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI.Chat;

namespace LlmGate.EndToEnd.Alerting;

/// <summary>
/// A silence created through the API holds the page back while a failure storm runs through the real gateway; expiring
/// it while the failures continue sends the page. Fake OpenAI (503s) and a strict fake PagerDuty on 127.0.0.1, the
/// official OpenAI SDK as the client, the real clock.
/// </summary>
public sealed class SilenceEndToEndTests
{
    private const string MasterKey = "sk-1234";
    private const string RoutingKey = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Silence_FailureStorm_PageHeldThenDeliveredOnceWhenExpired()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 503;
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: gpt-4o
                litellm_params: {"{"}model: openai/gpt-4o, api_key: {FakeUpstream.DefaultApiKey}, api_base: {upstream.ApiBase}{"}"}
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 3
                failure_threshold_window_seconds: 60
            """, new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = RoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        var chat = GatewayClients.Chat(gateway.BaseAddress, "gpt-4o", MasterKey);
        var now = TimeProvider.System.GetUtcNow();
        using var created = await http.PostAsync("/alerting/silences", new StringContent($$"""
            {"matchers":[{"name":"class","value":"llm_api_failure","isRegex":false,"isEqual":true}],
             "startsAt":"{{now:O}}","endsAt":"{{now.AddHours(2):O}}","createdBy":"e2e","comment":"provider maintenance"}
            """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var silenceId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["silenceID"]!.GetValue<string>();

        for (var i = 0; i < 5; i++)
        {
            await FailAsync(chat);
        }

        var status = await WaitForStatusAsync(http, s => s["held"]?["pagerduty"]?.GetValue<int>() == 1);
        var silence = Assert.Single(status["silences"]!.AsArray())!;
        Assert.Equal(silenceId, silence["id"]!.GetValue<string>());
        Assert.Equal("active", silence["state"]!.GetValue<string>());
        Assert.Single(status["open_incidents"]!.AsArray());
        Assert.Empty(pagerDuty.Requests);

        using var expired = await http.DeleteAsync($"/alerting/silences/{silenceId}");
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);
        using var deadline = new CancellationTokenSource(Patience);
        while (pagerDuty.Events.Count == 0)
        {
            await FailAsync(chat); // the condition still holds as the silence ends
            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }

        var page = Assert.Single(pagerDuty.Events);
        Assert.Equal("trigger", page.EventAction);
        Assert.StartsWith("High LLM API Failure Rate", page.Summary, StringComparison.Ordinal);
        status = await WaitForStatusAsync(http, s => s["held"]?.AsObject().Count == 0);
        Assert.Equal("expired", Assert.Single(status["silences"]!.AsArray())!["state"]!.GetValue<string>());
        Assert.DoesNotContain(MasterKey, status.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(RoutingKey, status.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task FailAsync(ChatClient chat)
    {
        var exception = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("ping")]));
        Assert.Equal(503, exception.Status);
    }

    private static async Task<JsonNode> WaitForStatusAsync(HttpClient http, Func<JsonNode, bool> condition)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var status = JsonNode.Parse(await http.GetStringAsync("/alerting/status", deadline.Token))!;
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
