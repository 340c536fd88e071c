using System.ClientModel;
using System.ClientModel.Primitives;
using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlmGate.Tests.Alerting.Conditions;

/// <summary>
/// The real gateway, its upstreams and PagerDuty faked on 127.0.0.1, the OpenAI SDK as the client; the per-call types
/// routed to PagerDuty (<c>llmgate_settings.alerting.routes</c>) so its fake shows what went out.
/// </summary>
public sealed class ConditionEndToEndTests : IAsyncLifetime
{
    private const string MasterKey = "sk-master-5c1d9e7a3b";
    private const string UpstreamKey = "sk-upstream-8f2a6c4e0d";
    private const string RoutingKey = "d8b0c1e2f3a4b5c6d7e8f9a0b1c2d3e4";
    private const string Prompt = "the zebra-42 launch plan";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly List<IAsyncDisposable> _disposables = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task SlowUpstream_AboveAlertingThreshold_TriggerAndResolveForItAndNothingForTheFastOne()
    {
        var fast = await UpstreamAsync();
        var slow = await UpstreamAsync();
        var marker = await UpstreamAsync();
        slow.ResponseDelay = TimeSpan.FromSeconds(0.6);
        marker.ResponseDelay = TimeSpan.FromSeconds(0.6);
        var pagerDuty = await PagerDutyAsync();
        await using var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("fast-model", fast, "fast")}
              - {Deployment("slow-model", slow, "slow")}
              - {Deployment("marker-model", marker, "marker")}
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_threshold: 0.3
              alerting_args:
                hanging_threshold_seconds: 60
                failure_threshold: 100
            llmgate_settings:
              alerting:
                routes:
                  llm_too_slow: [pagerduty]
            """, pagerDuty);

        // The slow call goes first and warms the gateway up (a cold first call may itself take 0.3 s); the marker, as
        // slow, goes last: a trigger for the fast call would be queued before the marker's resolve.
        await Chat(gateway, "slow-model").CompleteChatAsync(Prompt);
        await Chat(gateway, "fast-model").CompleteChatAsync(Prompt);
        await Chat(gateway, "marker-model").CompleteChatAsync(Prompt);
        await pagerDuty.WaitForEventsAsync(4, Patience);

        var events = pagerDuty.Events.Take(4).ToList();
        var slowKey = DedupKeys.ForCondition(AlertTypeNames.LlmTooSlow, "slow");
        var markerKey = DedupKeys.ForCondition(AlertTypeNames.LlmTooSlow, "marker");
        Assert.Equal(["resolve", "trigger"], events.Where(e => e.DedupKey == slowKey).Select(e => e.EventAction).Order(StringComparer.Ordinal));
        Assert.Equal(["resolve", "trigger"], events.Where(e => e.DedupKey == markerKey).Select(e => e.EventAction).Order(StringComparer.Ordinal));
        var trigger = events.First(e => e.DedupKey == slowKey && e.EventAction == "trigger");
        var summary = trigger.Summary!;
        Assert.StartsWith("Responses are slow - ", summary, StringComparison.Ordinal);
        var took = double.Parse(summary["Responses are slow - ".Length..summary.IndexOf('s', 21)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(took, 0.6, 10);
        Assert.True(summary.EndsWith("s response time > Alerting threshold: 0.3s (deployment slow (slow-model))", StringComparison.Ordinal), summary);
        Assert.Equal("llm_too_slow", trigger.Body.GetProperty("payload").GetProperty("class").GetString());
        Assert.DoesNotContain(pagerDuty.Events, e => e.Summary?.Contains("fast", StringComparison.Ordinal) == true);
        AssertNoSecrets(pagerDuty);
    }

    [Fact]
    public async Task UpstreamFailing503_MinorThresholdThree_TriggerOnTheThirdNotBefore()
    {
        var upstream = await UpstreamAsync();
        upstream.FailWithStatus = 503;
        var pagerDuty = await PagerDutyAsync();
        await using var gateway = await GatewayAsync($"""
            model_list:
              - {Deployment("gpt-4o", upstream, "only")}
            router_settings:
              num_retries: 0
            general_settings:
              master_key: {MasterKey}
              alerting: ["pagerduty"]
              alerting_args:
                failure_threshold: 100
                minor_outage_alert_threshold: 3
                major_outage_alert_threshold: 10
            llmgate_settings:
              alerting:
                routes:
                  outage_alerts: [pagerduty]
                  cooldown_deployment: [pagerduty] # wired as the router's listener; a group's only deployment never cools
            """, pagerDuty);
        var chat = Chat(gateway, "gpt-4o");

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(Prompt));
            Assert.Equal(503, error.Status);
        }

        await pagerDuty.WaitForEventsAsync(1, Patience);

        // Had two failures fired, the one trigger would say 2: it says 3, so nothing went out below the threshold.
        var trigger = Assert.Single(pagerDuty.Events);
        Assert.StartsWith("⚠️ Minor Service Outage: deployment only (gpt-4o): 3 failures", trigger.Summary, StringComparison.Ordinal);
        Assert.Equal("warning", trigger.Body.GetProperty("payload").GetProperty("severity").GetString());
        Assert.Equal(3, upstream.Received.Count);
        AssertNoSecrets(pagerDuty);
    }

    private static void AssertNoSecrets(FakePagerDuty pagerDuty)
    {
        foreach (var sent in pagerDuty.Events)
        {
            Assert.DoesNotContain(MasterKey, sent.RawBody, StringComparison.Ordinal);
            Assert.DoesNotContain(UpstreamKey, sent.RawBody, StringComparison.Ordinal);
            Assert.DoesNotContain("zebra-42", sent.RawBody, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", sent.RawBody, StringComparison.Ordinal); // not even the api_base
        }
    }

    private static ChatClient Chat(TestGateway gateway, string model) => new(model, new ApiKeyCredential(MasterKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(gateway.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    });

    private static string Deployment(string modelName, FakeUpstream upstream, string id) =>
        "{model_name: " + modelName + ", litellm_params: {model: \"openai/gpt-4o\", api_base: \"" + upstream.ApiBase
        + "\", api_key: " + UpstreamKey + "}, model_info: {id: " + id + "}}";

    private async Task<FakeUpstream> UpstreamAsync()
    {
        var upstream = await FakeUpstream.StartAsync(UpstreamKey);
        _disposables.Add(upstream);
        return upstream;
    }

    private async Task<FakePagerDuty> PagerDutyAsync()
    {
        var pagerDuty = await FakePagerDuty.StartAsync();
        _disposables.Add(pagerDuty);
        return pagerDuty;
    }

    private static Task<TestGateway> GatewayAsync(string yaml, FakePagerDuty pagerDuty) =>
        TestGateway.StartAsync(yaml, new Dictionary<string, string>
        {
            ["PAGERDUTY_API_KEY"] = RoutingKey,
            ["PAGERDUTY_EVENTS_URL"] = pagerDuty.EventsUrl.ToString(),
        });
}
