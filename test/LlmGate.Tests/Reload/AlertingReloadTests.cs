using System.ClientModel;
using System.Text.Json.Nodes;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Reload;

/// <summary>
/// Issue 19: changing the thresholds or the PagerDuty routing key by reload takes effect without losing an open
/// incident: it is not paged again, and its resolve goes to the service that was paged.
/// </summary>
public sealed class AlertingReloadTests
{
    private const string FirstKey = "R0UT1NGKEYF1RST0123456789abcdef0";
    private const string SecondKey = "R0UT1NGKEYSEC0ND123456789abcdef0";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Reload_NewThresholdAndRoutingKey_OpenIncidentKeptAndResolvedWhereItWasPaged_NextOneToNewKey()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.FailWithStatus = 503;
        var environment = new Dictionary<string, string> { ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString() };
        await using var config = await ReloadableConfig.StartAsync(Config(upstream, FirstKey, failureThreshold: 2), environment);
        var chat = new ChatClient("gpt", new ApiKeyCredential(ReloadableConfig.MasterKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(config.Gateway.BaseAddress, "v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });
        async Task FailAsync(int calls) => await Task.WhenAll(Enumerable.Range(0, calls).Select(_ =>
            Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]))));

        await FailAsync(2);
        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 1, Patience);
        var dedupKey = pagerDuty.Events[0].DedupKey!;

        // Still failing while the new config arrives: the open incident must not be paged again under the new key.
        await config.WriteAsync(Config(upstream, SecondKey, failureThreshold: 3));
        var (status, body) = await config.ReloadAsync();
        Assert.Equal(200, status);
        Assert.Contains("alerting_args thresholds", body["changes"]!.AsArray().Select(c => (string?)c));
        Assert.DoesNotContain(SecondKey, body.ToJsonString(), StringComparison.Ordinal);
        var alerting = JsonNode.Parse(await config.Admin.GetStringAsync(new Uri("/alerting/status", UriKind.Relative)))!;
        Assert.Equal(dedupKey, (string?)alerting["open_incidents"]![0]!["dedup_key"]);
        Assert.Equal(3, (int?)alerting["windows"]!.AsArray().First(w => (string?)w!["class"] == "llm_api_failure")!["threshold"]);

        upstream.FailWithStatus = null; // recovers: the incident resolves once its window is quiet
        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "resolve", 1, Patience);
        var resolve = pagerDuty.Events.Single(e => e.EventAction == "resolve");
        Assert.Equal(dedupKey, resolve.DedupKey);
        Assert.Equal(FirstKey, resolve.RoutingKey);

        upstream.FailWithStatus = 503;
        await FailAsync(3);
        await pagerDuty.WaitForEventsAsync(e => e.EventAction == "trigger", 2, Patience);

        Assert.Equal([("trigger", FirstKey), ("resolve", FirstKey), ("trigger", SecondKey)], pagerDuty.Events.Select(e => (e.EventAction, e.RoutingKey)));
    }

    private static string Config(FakeUpstream upstream, string routingKey, int failureThreshold) => $$"""
        environment_variables:
          PAGERDUTY_API_KEY: {{routingKey}}
        model_list:
          - model_name: gpt
            litellm_params: {model: openai/gpt-4o, api_base: "{{upstream.ApiBase}}", api_key: {{upstream.ApiKey}}}
        router_settings:
          num_retries: 0
        general_settings:
          master_key: {{ReloadableConfig.MasterKey}}
          alerting: ["pagerduty"]
          alerting_args: {failure_threshold: {{failureThreshold}}, failure_threshold_window_seconds: 3, hanging_threshold_seconds: 30, hanging_threshold_window_seconds: 1}
        """;
}
